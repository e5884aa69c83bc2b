"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type {
  BackupListResponse,
  BackupStatusResponse as BackupStatus,
  BackupViewResponse as BackupView,
} from "@/lib/domain/backups/backup-response";

export type { BackupStatus, BackupView };

/** Backup status; polled every second while a backup runs so the page shows its progress. */
export function useBackupStatus({ running = false }: { running?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.backups.status,
    queryFn: () => apiFetch<BackupStatus>("/api/backup-status"),
    refetchInterval: (query) => (running || query.state.data?.running ? 1000 : 30_000),
  });
}

export function useBackupList() {
  return useQuery({
    queryKey: queryKeys.backups.list,
    queryFn: () => apiFetch<BackupListResponse>("/api/admin/backups?limit=100"),
  });
}

/** Runs a backup now; the server answers when the file is written (201) or 409 while one runs. */
export function useRunBackup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiMutate<{ backup: BackupView }>("/api/backup", {}),
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.backups.all }),
  });
}

/** The admin download route of one backup file (a plain link: the browser streams it to disk). */
export function backupDownloadUrl(fileName: string): string {
  return `/api/admin/backups/${encodeURIComponent(fileName)}/download`;
}
