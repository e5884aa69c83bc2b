"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { ChevronLeft, ChevronRight, RotateCcw, Search } from "lucide-react";
import { emptyAuditFilters, useAuditPage, type AuditFilters } from "@/lib/client/audit";
import type { AuditEntry } from "@/lib/domain/audit/audit-response";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { cx } from "@/components/ui/cx";

const PAGE_SIZE = 50;

/** Entities that write audit rows (lib/domain/**: `m.audit({ entity })`), in the words managers use. */
export const auditEntities: { value: string; label: string }[] = [
  { value: "all", label: "Everything" },
  { value: "batch", label: "Batches" },
  { value: "finished_good", label: "Finished goods" },
  { value: "wholesale_hold", label: "Wholesale holds" },
  { value: "supply", label: "Supplies (papers, tips …)" },
  { value: "setting", label: "Settings" },
  { value: "weight_check", label: "Weight checks" },
  { value: "centrifuge_outcome", label: "Centrifuge outcomes" },
  { value: "centrifuge_recommendation", label: "Centrifuge recommendations" },
  { value: "recommendation_snapshot", label: "Sales snapshots" },
  { value: "user", label: "Users" },
  { value: "api_key", label: "API keys" },
  { value: "subscriber", label: "Event subscribers" },
  { value: "event_source", label: "Event sources" },
  { value: "delivery", label: "Event deliveries" },
  { value: "inbound_event", label: "Inbound events" },
  { value: "backup", label: "Backups" },
  { value: "job", label: "Jobs" },
];
const entityLabel = (value: string) => auditEntities.find((e) => e.value === value)?.label ?? value;

const selectClass =
  "min-h-12 w-full rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-base text-neutral-50 focus:outline-3 focus:outline-sky-400";

/** `/audit`: every change, searchable and filtered, newest first, paged by keyset (fast at any size). */
export function AuditPage({ initial }: { initial: Partial<AuditFilters> }) {
  const [filters, setFilters] = useState<AuditFilters>({ ...emptyAuditFilters, ...initial });
  // Keyset paging: the cursors of the pages above the current one (the newest page has none).
  const [cursors, setCursors] = useState<number[]>([]);
  const beforeId = cursors.at(-1);
  const page = useAuditPage(filters, beforeId, PAGE_SIZE, { live: true });
  const rows = page.data?.slice(0, PAGE_SIZE) ?? [];
  const hasOlder = (page.data?.length ?? 0) > PAGE_SIZE;

  const apply = (next: AuditFilters) => {
    setFilters(next);
    setCursors([]);
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-bold">Audit trail</h1>
        <p className="text-neutral-300">Every change, who made it and when, newest first.</p>
      </div>
      <AuditFilterForm filters={filters} onApply={apply} />
      {page.isPending ? (
        <Loading label="Loading the audit trail">
          <div className="space-y-2">
            {Array.from({ length: 8 }, (_, i) => (
              <Skeleton key={i} className="h-10" />
            ))}
          </div>
        </Loading>
      ) : page.isError && !page.data ? (
        <ErrorState title="Could not load the audit trail" error={page.error} onRetry={() => void page.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title={cursors.length ? "No older changes" : "No changes match"}>
          {isFiltered(filters)
            ? "Clear the search or widen the filters (entity, field, who, dates) to see more."
            : "Changes appear here as soon as anyone saves something."}
        </EmptyState>
      ) : (
        <>
          <AuditTable rows={rows} busy={page.isPlaceholderData || page.isFetching} />
          <nav aria-label="Audit pages" className="flex flex-wrap items-center justify-between gap-3">
            <p className="text-neutral-300" aria-live="polite">
              {cursors.length === 0 ? "Newest changes" : `Page ${cursors.length + 1} back`} · {rows.length} shown
            </p>
            <div className="flex gap-2">
              {cursors.length > 1 ? (
                <Button onClick={() => setCursors([])}>
                  <RotateCcw aria-hidden className="size-4" /> Newest
                </Button>
              ) : null}
              <Button disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                <ChevronLeft aria-hidden className="size-4" /> Newer
              </Button>
              <Button
                disabled={!hasOlder}
                busy={page.isPlaceholderData}
                onClick={() => setCursors((c) => [...c, rows[rows.length - 1].id])}
              >
                Older <ChevronRight aria-hidden className="size-4" />
              </Button>
            </div>
          </nav>
        </>
      )}
    </div>
  );
}

function isFiltered(f: AuditFilters) {
  return Boolean(f.q || f.field || f.actor || f.from || f.to || f.entity !== "all");
}

function AuditFilterForm({ filters, onApply }: { filters: AuditFilters; onApply: (f: AuditFilters) => void }) {
  const [draft, setDraft] = useState(filters);
  const entityId = useId();
  const set = (key: keyof AuditFilters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const rangeError = draft.from && draft.to && draft.from > draft.to ? "The end date is before the start date" : null;

  return (
    <Card aria-label="Search and filters">
      <form
        role="search"
        className="grid gap-3 md:grid-cols-[2fr_1.4fr_1fr_1fr_1fr_1fr_auto] md:items-start"
        onSubmit={(e) => {
          e.preventDefault();
          if (!rangeError) onApply(draft);
        }}
      >
        <Field
          label="Search"
          type="search"
          placeholder="Strain, field, value or who"
          value={draft.q}
          onChange={set("q")}
          inputClassName="text-base"
        />
        <div className="flex flex-col gap-1">
          <label htmlFor={entityId} className="text-sm font-semibold text-neutral-200">
            Entity
          </label>
          <select
            id={entityId}
            className={selectClass}
            value={draft.entity}
            onChange={(e) => {
              // A choice from a list applies at once; typed fields wait for Search.
              const next = { ...draft, entity: e.target.value };
              setDraft(next);
              if (!rangeError) onApply(next);
            }}
          >
            {auditEntities.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
        <Field label="Field" placeholder="e.g. counts_0_5" value={draft.field} onChange={set("field")} inputClassName="text-base" />
        <Field label="Who" placeholder="user name" value={draft.actor} onChange={set("actor")} inputClassName="text-base" />
        <Field label="From" type="date" value={draft.from} onChange={set("from")} inputClassName="text-base" />
        <Field label="To" type="date" value={draft.to} onChange={set("to")} error={rangeError} inputClassName="text-base" />
        <div className="flex gap-2 md:mt-6">
          <Button type="submit" variant="primary">
            <Search aria-hidden className="size-4" /> Search
          </Button>
          {isFiltered(draft) ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft(emptyAuditFilters);
                onApply(emptyAuditFilters);
              }}
            >
              Clear
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  );
}

function AuditTable({ rows, busy }: { rows: AuditEntry[]; busy: boolean }) {
  return (
    <div className={cx("overflow-x-auto rounded-2xl border border-neutral-800", busy && "opacity-70")} aria-busy={busy || undefined}>
      <table className="w-full table-fixed border-collapse text-left text-sm">
        <caption className="sr-only">Changes, newest first</caption>
        <colgroup>
          <col className="w-52" />
          <col className="w-56" />
          <col className="w-44" />
          <col />
          <col />
          <col className="w-36" />
        </colgroup>
        <thead className="bg-neutral-900 text-neutral-200">
          <tr>
            <th scope="col" className="px-3 py-2">
              When
            </th>
            <th scope="col" className="px-3 py-2">
              What
            </th>
            <th scope="col" className="px-3 py-2">
              Field
            </th>
            <th scope="col" className="px-3 py-2">
              Old value
            </th>
            <th scope="col" className="px-3 py-2">
              New value
            </th>
            <th scope="col" className="px-3 py-2">
              Who
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              data-testid="audit-row"
              data-audit-id={row.id}
              className="border-t border-neutral-800 align-top odd:bg-neutral-950 even:bg-neutral-900/60"
            >
              <td className="px-3 py-2 tabular-nums text-neutral-200">
                <time dateTime={row.ts}>{formatWhen(row.ts)}</time>
              </td>
              <td className="px-3 py-2">
                <EntityCell row={row} />
              </td>
              <td className="break-words px-3 py-2 font-mono text-neutral-100">{row.field}</td>
              <td className="px-3 py-2">
                <Value value={row.old} />
              </td>
              <td className="px-3 py-2">
                <Value value={row.new} />
              </td>
              <td className="break-words px-3 py-2 text-neutral-200">{row.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EntityCell({ row }: { row: AuditEntry }) {
  const name = row.strain || row.batch;
  const href =
    row.entity === "batch"
      ? `/batches/${encodeURIComponent(row.batch)}`
      : row.entity === "finished_good"
        ? `/finished-goods/${encodeURIComponent(row.batch)}`
        : null;
  return (
    <div className="min-w-0">
      {href ? (
        <Link href={href} prefetch={false} className="break-words font-semibold text-sky-300 underline-offset-2 hover:underline">
          {name}
        </Link>
      ) : (
        <span className="break-words font-semibold text-neutral-50">{name}</span>
      )}
      <span className="block text-xs text-neutral-300">{entityLabel(row.entity)}</span>
    </div>
  );
}

const LONG_VALUE = 140;

/** Old/new values are stored as text (JSON for objects); long ones fold so the table stays scannable. */
function Value({ value }: { value: string | null }) {
  if (value === null || value === "") return <span className="text-neutral-300">—</span>;
  if (value.length <= LONG_VALUE) return <code className="whitespace-pre-wrap break-all text-neutral-100">{value}</code>;
  return (
    <details>
      <summary className="cursor-pointer break-all text-neutral-100">
        <code>{value.slice(0, LONG_VALUE)}…</code>
      </summary>
      <code className="mt-1 block whitespace-pre-wrap break-all text-neutral-100">{value}</code>
    </details>
  );
}

function formatWhen(iso: string) {
  return new Date(iso).toLocaleString([], {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}
