"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { SettingsResponse, SettingsUpdateResponse } from "@/lib/domain/settings/settings-response";
import type { PushoverSettingsSaveResponse, PushoverSettingsView, PushoverTestResponse } from "@/lib/domain/alerts/pushover-response";

/**
 * The /settings page's writes (admin): any subset of the settings, and Pushover through its own
 * route, which keeps a stored key when the form sends none. Desk-only: floor pages read settings
 * through lib/client/settings.ts and never load this module.
 */

export type SettingsPatch = Partial<Omit<SettingsResponse, "pushover">>;

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => apiMutate<SettingsUpdateResponse>("/api/settings", patch, "PUT"),
    onSuccess: (res) => {
      client.setQueryData(queryKeys.settings, res.settings);
      return Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.audit.all }),
        client.invalidateQueries({ queryKey: queryKeys.inventory.all }),
      ]);
    },
  });
}

export function usePushoverSettings() {
  return useQuery({ queryKey: queryKeys.pushover, queryFn: () => apiFetch<PushoverSettingsView>("/api/pushover/settings") });
}

/** Keys: a string replaces the stored one, null clears it, a missing key keeps it. */
export interface PushoverPatch {
  enabled?: boolean;
  user_key?: string | null;
  app_token?: string | null;
  warning_grams?: number;
  critical_grams?: number;
  cooldown_hours?: number;
}

export function useSavePushover() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: PushoverPatch) => apiMutate<PushoverSettingsSaveResponse>("/api/pushover/settings", patch, "PUT"),
    onSuccess: (res) => {
      client.setQueryData(queryKeys.pushover, res);
      return Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.settings }),
        client.invalidateQueries({ queryKey: queryKeys.audit.all }),
      ]);
    },
  });
}

export function useSendPushoverTest() {
  return useMutation({
    mutationFn: (level: "info" | "warning" | "critical") => apiMutate<PushoverTestResponse>(`/api/pushover/test?level=${level}`, {}),
  });
}
