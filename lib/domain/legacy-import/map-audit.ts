import { createHash } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { legacyNumber, legacyText, legacyTime, type LegacyRow } from "@/lib/domain/legacy-import/legacy-values";
import { legacyStage, type BatchHistoryFacts } from "@/lib/domain/legacy-import/map-batch";
import type { Skipped } from "@/lib/domain/legacy-import/report";

/**
 * The legacy audit trail (`audit_log` rows, and `data/audit.json` from before the table) → our
 * AuditLog, oldest first, original timestamps kept, actor `import`. From the same rows come what
 * our schema keeps separately: per-size count entries (`counts_*` changes), stage history, and
 * each batch's created / last-changed / stage-entered times.
 */

export interface LegacyAuditEntry {
  /** `audit_log:<id>` or `audit_json:<hash>`: the row's identity for re-runs. */
  source: "audit_log" | "audit_json";
  key: string;
  batch: string;
  strain: string;
  at: Date;
  timestamp: string;
  field: string;
  old: string | null;
  new: string | null;
}

type Parsed = { ok: true; entry: LegacyAuditEntry } | { ok: false; skipped: Skipped };

function parse(row: LegacyRow, source: LegacyAuditEntry["source"], key: string): Parsed {
  const skip = (reason: Skipped["reason"], detail: string): Parsed => ({
    ok: false,
    skipped: { table: source === "audit_log" ? "audit_log" : "data/audit.json", id: key, reason, detail },
  });
  const batch = legacyText(row.batch)?.trim();
  const field = legacyText(row.field)?.trim();
  if (!batch || !field) return skip("constraint", "no batch or field");
  const timestamp = legacyText(row.ts ?? row.timestamp);
  const at = legacyTime(timestamp);
  if (!at || !timestamp) return skip("timestamp", `${JSON.stringify(row.ts ?? row.timestamp)} is not a timestamp`);
  return {
    ok: true,
    entry: {
      source,
      key,
      batch,
      strain: legacyText(row.strain) ?? "",
      at,
      timestamp,
      field,
      old: legacyText(row.old),
      new: legacyText(row.new),
    },
  };
}

const contentKey = (e: { batch: string; timestamp: string; field: string; old: string | null; new: string | null }) =>
  `${e.batch}|${e.timestamp}|${e.field}|${e.old ?? ""}|${e.new ?? ""}`;

/**
 * Both sources merged: JSON-file entries that are not also table rows, oldest first (they
 * predate the table), then the table in id order.
 */
export function collectAudit(
  tableRows: LegacyRow[],
  fileValue: unknown,
): { entries: LegacyAuditEntry[]; skipped: Skipped[]; read: { table: number; file: number } } {
  const entries: LegacyAuditEntry[] = [];
  const skipped: Skipped[] = [];
  const fromTable: LegacyAuditEntry[] = [];
  for (const row of tableRows) {
    const r = parse(row, "audit_log", legacyText(row.id) ?? "");
    if (r.ok) fromTable.push(r.entry);
    else skipped.push(r.skipped);
  }
  const inTable = new Set(fromTable.map(contentKey));
  const fileRows = Array.isArray(fileValue)
    ? fileValue
    : fileValue && typeof fileValue === "object" && Array.isArray((fileValue as { entries?: unknown }).entries)
      ? (fileValue as { entries: unknown[] }).entries
      : [];
  const fromFile: LegacyAuditEntry[] = [];
  const seen = new Set<string>();
  for (const item of fileRows) {
    if (!item || typeof item !== "object") continue;
    const row = item as LegacyRow;
    const probe = {
      batch: legacyText(row.batch) ?? "",
      timestamp: legacyText(row.ts ?? row.timestamp) ?? "",
      field: legacyText(row.field) ?? "",
      old: legacyText(row.old),
      new: legacyText(row.new),
    };
    const content = contentKey(probe);
    const key = createHash("sha256").update(content).digest("hex").slice(0, 24);
    if (inTable.has(content) || seen.has(content)) {
      skipped.push({
        table: "data/audit.json",
        id: key,
        reason: "duplicate",
        detail: `${probe.batch} ${probe.field} at ${probe.timestamp} is also in audit_log`,
      });
      continue;
    }
    seen.add(content);
    const r = parse(row, "audit_json", key);
    if (r.ok) fromFile.push(r.entry);
    else skipped.push(r.skipped);
  }
  fromFile.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const e of fromFile) entries.push(e);
  for (const e of fromTable) entries.push(e); // no spread: 200 000 arguments overflow the stack
  return { entries, skipped, read: { table: tableRows.length, file: fileRows.length } };
}

export function auditRow(e: LegacyAuditEntry, traceId: string): Prisma.AuditLogCreateManyInput {
  return {
    entity: "batch",
    entity_id: e.batch,
    label: e.strain || null,
    field: e.field,
    old: e.old,
    new: e.new,
    actor: "import",
    trace_id: traceId,
    at: e.at,
  };
}

/** Per batch: first and last change, when the current stage was entered, when it was archived. */
export function batchFacts(entries: LegacyAuditEntry[]): Map<string, BatchHistoryFacts> {
  const facts = new Map<string, BatchHistoryFacts>();
  for (const e of entries) {
    const f = facts.get(e.batch) ?? {};
    if (!f.first || e.at < f.first) f.first = e.at;
    if (!f.last || e.at > f.last) f.last = e.at;
    if (e.field === "stage" || e.field === "stage_auto_advanced") f.stageEntered = e.at;
    if (e.field === "archived" && ["1", "true"].includes((e.new ?? "").toLowerCase())) f.archivedAt = e.at;
    facts.set(e.batch, f);
  }
  return facts;
}

const COUNT_FIELD = /^counts_(0_5|0_7|1_0)$/;

/** Count entries (our per-size production history) from `counts_*` changes of imported batches. */
export function countEntries(entries: LegacyAuditEntry[], imported: Set<string>): Prisma.CountEntryCreateManyInput[] {
  const out: Prisma.CountEntryCreateManyInput[] = [];
  for (const e of entries) {
    const m = COUNT_FIELD.exec(e.field);
    if (!m || !imported.has(e.batch)) continue;
    const after = legacyNumber(e.new);
    if (after === null || after === undefined) continue;
    const before = legacyNumber(e.old) ?? 0;
    const delta = Math.round(after - before);
    if (delta === 0) continue;
    out.push({ batch_id: e.batch, size: m[1], delta, total_after: Math.round(after), actor: "import", source: "import", at: e.at });
  }
  return out;
}

/** Stage history from `stage` / `stage_auto_advanced` changes of imported batches. */
export function stageHistory(entries: LegacyAuditEntry[], imported: Set<string>): Prisma.StageHistoryCreateManyInput[] {
  const out: Prisma.StageHistoryCreateManyInput[] = [];
  for (const e of entries) {
    if ((e.field !== "stage" && e.field !== "stage_auto_advanced") || !imported.has(e.batch)) continue;
    const auto = e.field === "stage_auto_advanced";
    // stage_auto_advanced records 0 → 1 when grinding completes; older rows wrote true/1 only.
    const to = e.new !== null && e.new !== "" ? (legacyStage(e.new) ?? (auto ? 1 : undefined)) : auto ? 1 : undefined;
    if (to === undefined) continue;
    const from = e.old === null || e.old === "" ? null : (legacyStage(e.old) ?? null);
    out.push({ batch_id: e.batch, from_stage: from, to_stage: to, auto, actor: "import", at: e.at });
  }
  return out;
}
