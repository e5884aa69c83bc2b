import type { Backup } from "@/lib/generated/prisma/client";

export const BACKUP_TRIGGERS = ["scheduled", "manual", "subscriber"] as const;
export type BackupTrigger = (typeof BACKUP_TRIGGERS)[number];

/** Files the backup writes before its atomic rename start with this (retention never sees them). */
export const TEMP_PREFIX = ".tmp-";

export interface BackupView {
  id: string;
  file_name: string;
  path: string;
  status: string;
  trigger: string;
  size_bytes: number | null;
  db_bytes: number | null;
  sha256: string | null;
  duration_ms: number | null;
  encrypted: boolean;
  uploaded_to: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  deleted_at: string | null;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A backup row as the admin API shows it (admins only: it includes server paths). */
export function toBackupView(b: Backup): BackupView {
  return {
    id: b.id,
    file_name: b.file_name,
    path: b.path,
    status: b.status,
    trigger: b.trigger,
    size_bytes: b.size_bytes,
    db_bytes: b.db_bytes,
    sha256: b.sha256,
    duration_ms: b.duration_ms,
    encrypted: b.encrypted,
    uploaded_to: b.uploaded_to,
    error: b.error,
    started_at: b.started_at.toISOString(),
    finished_at: iso(b.finished_at),
    deleted_at: iso(b.deleted_at),
  };
}
