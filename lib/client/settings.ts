"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { SettingsResponse } from "@/lib/domain/settings/settings-response";

/** The facility settings (test alert hours, tare weights, machines …); changed rarely. */
export function useSettings() {
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => apiFetch<SettingsResponse>("/api/settings"), staleTime: 5 * 60_000 });
}
