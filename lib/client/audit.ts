"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { AuditResponse } from "@/lib/domain/audit/audit-response";

/** What the /audit page filters by; empty strings mean "any". */
export interface AuditFilters {
  q: string;
  entity: string;
  field: string;
  actor: string;
  /** Local calendar days (yyyy-mm-dd), inclusive. */
  from: string;
  to: string;
}

export const emptyAuditFilters: AuditFilters = { q: "", entity: "all", field: "", actor: "", from: "", to: "" };

/** Start (or end) of a local calendar day as an ISO instant with offset, as the API takes it. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [y, m, d] = day.split("-").map(Number);
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * One page of the audit trail, newest first: `limit` + 1 rows are asked for, so the page knows
 * whether older rows exist without counting the table. `beforeId` is the keyset cursor.
 */
export function useAuditPage(filters: AuditFilters, beforeId: number | undefined, limit: number, options: { live?: boolean } = {}) {
  const params: Record<string, string | number | undefined> = {
    entity: filters.entity || "all",
    q: filters.q.trim() || undefined,
    field: filters.field.trim() || undefined,
    actor: filters.actor.trim() || undefined,
    since: dayBound(filters.from, false),
    until: dayBound(filters.to, true),
    before_id: beforeId,
    limit: limit + 1,
  };
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return useQuery({
    queryKey: queryKeys.audit.list(params),
    queryFn: ({ signal }) => apiFetch<AuditResponse>(`/api/audit?${search.toString()}`, { signal }),
    placeholderData: keepPreviousData,
    // Only the newest page moves on its own; older pages are fixed by their cursor.
    refetchInterval: options.live && beforeId === undefined ? 30_000 : false,
  });
}
