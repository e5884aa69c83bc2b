import path from "node:path";
import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import type { Mutation } from "@/lib/db/mutate";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";
import { bulkInsert } from "@/lib/db/bulk-insert";
import { systemContext } from "@/lib/context";
import type { Prisma } from "@/lib/generated/prisma/client";
import { PAPER_DEFAULTS, PAPER_KIND } from "@/lib/domain/supplies/paper-sizes";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { isLow } from "@/lib/domain/supplies/stock-math";
import { readLegacySource, type LegacySource } from "@/lib/domain/legacy-import/read-legacy";
import { legacyNumber, legacyText, legacyTime } from "@/lib/domain/legacy-import/legacy-values";
import { mapBatch } from "@/lib/domain/legacy-import/map-batch";
import { mapFinishedGood, mapHistory, mapHold } from "@/lib/domain/legacy-import/map-finished-goods";
import { auditRow, batchFacts, collectAudit, countEntries, stageHistory } from "@/lib/domain/legacy-import/map-audit";
import { mapSettings } from "@/lib/domain/legacy-import/map-settings";
import { findDemoData, removeDemoData, type DemoData } from "@/lib/domain/legacy-import/demo-data";
import { importCredentials } from "@/lib/domain/legacy-import/import-credentials";
import { emptyCount, totals, type ImportReport, type Skipped, type TableCount } from "@/lib/domain/legacy-import/report";

/**
 * `npm run import-legacy`: a PreRollTracker 2.0.0 database (and its JSON files and .env) into
 * this one, in ONE transaction with one `import.completed` event — or nothing at all.
 *
 * - Identities clients hold are kept: batch ids, METRC numbers, hold ids; audit and package history
 *   keep their timestamps and order (and the last-updated endpoints return the legacy text).
 * - Every imported row is recorded in `legacy_import_rows`, so a re-run skips it: re-running changes
 *   nothing (no event either), and a later run brings only rows added to the old system since.
 * - A database holding only a fresh install's demo data has it removed first. One holding data made
 *   here is refused unless `merge`: then the legacy rows are added beside it, and a legacy row whose
 *   id already exists here is left as it is ("kept" in the report).
 * - `dryRun` runs everything and rolls back: the report says exactly what an import would do.
 */

export interface ImportLegacyOptions {
  dryRun?: boolean;
  merge?: boolean;
  /** The old deployment's .env (default: a `.env` beside the database or its parent folder). */
  envFile?: string;
}

/** Refused before anything was written: one line for the operator. */
export class ImportRefusedError extends Error {}

const CHUNK = 500;
/** The report's table order: the legacy tables, then the legacy files and credentials. */
const REPORT_TABLES = [
  "batches",
  "audit_log",
  "finished_goods",
  "finished_goods_history",
  "wholesale_holds",
  "settings",
  "inventory",
  "inventory_usage",
  "data/audit.json",
  "data/settings.json",
  "credentials",
];
export const IMPORT_ACTOR = "import";

export async function importLegacyDatabase(file: string, options: ImportLegacyOptions = {}, client: Db = defaultDb): Promise<ImportReport> {
  const source = readLegacySource(file, { envFile: options.envFile });
  const ctx = systemContext(IMPORT_ACTOR, "import");
  return mutateIfChanged<ImportReport>(ctx, (m, unchanged) => runImport(m, unchanged, source, options), client, { timeoutMs: 15 * 60_000 });
}

async function runImport(
  m: Mutation,
  unchanged: (report: ImportReport) => never,
  source: LegacySource,
  options: ImportLegacyOptions,
): Promise<ImportReport> {
  const importId = m.ctx.traceId;
  const report: ImportReport = {
    source: source.path,
    schema_version: source.schemaVersion,
    dry_run: Boolean(options.dryRun),
    merge: Boolean(options.merge),
    demo_removed: false,
    tables: Object.fromEntries(REPORT_TABLES.map((t) => [t, emptyCount()])),
    changed: false,
    skipped: [],
    credentials: { api_key: "not found", admin_password: "not found", recovery_key: "not found" },
    notes: [],
  };
  const count = (table: string): TableCount => (report.tables[table] ??= emptyCount());
  const skip = (s: Skipped) => {
    report.skipped.push(s);
    if (!s.field) count(s.table).skipped++;
  };
  for (const table of source.missingTables)
    report.notes.push(`the legacy database has no ${table} table (older schema): nothing to import from it`);
  for (const f of source.files.unreadable) report.notes.push(`${f.path} is not valid JSON and was not read (${f.detail})`);

  // What this database already holds: demo rows (removed unless merging), rows of an earlier
  // run of this import (skipped), and rows made here (refused unless merging).
  const demo = await findDemoData(m.tx);
  const done = await importedKeys(m.tx);
  const madeHere = await rowsMadeHere(m.tx, demo, done);
  if (madeHere && !options.merge) {
    throw new ImportRefusedError(
      `this database already holds data made here (${madeHere}); run again with --merge to add the legacy rows beside it (rows whose id already exists here are kept as they are)`,
    );
  }
  if (!options.merge && demo.any) {
    await removeDemoData(m, demo);
    report.demo_removed = true;
  }

  const marks: { source_table: string; legacy_key: string; target_id: string; legacy_timestamp?: string | null }[] = [];
  const mark = (table: string, key: string, target: string, legacyTimestamp?: string | null) =>
    marks.push({ source_table: table, legacy_key: key, target_id: target, legacy_timestamp: legacyTimestamp ?? null });
  const isDone = (table: string, key: string) => done.get(table)?.has(key) ?? false;

  // Audit first: batches take their created / stage-entered times from it.
  const audit = collectAudit(source.tables.audit_log, source.files.audit?.value);
  for (const s of audit.skipped) skip(s);
  const facts = batchFacts(audit.entries);

  // ── batches ──
  const existingBatches = new Set((await m.tx.batch.findMany({ select: { id: true } })).map((b) => b.id));
  const newBatches: Set<string> = new Set();
  const batchRows = [];
  for (const row of source.tables.batches) {
    const c = count("batches");
    c.read++;
    const id = legacyText(row.id) ?? "";
    if (isDone("batches", id)) {
      c.already++;
      continue;
    }
    if (existingBatches.has(id)) {
      c.kept++;
      continue;
    }
    const mapped = mapBatch(row, facts.get(id) ?? {}, m.now);
    if (!mapped.ok) {
      skip(mapped.skipped);
      continue;
    }
    for (const d of mapped.dropped) skip(d);
    batchRows.push(mapped.data);
    newBatches.add(id);
    mark("batches", id, id);
    c.imported++;
  }
  for (const chunk of chunks(batchRows)) await m.tx.batch.createMany({ data: chunk });
  const batchExists = (id: string) => existingBatches.has(id) || newBatches.has(id);
  await bulkInsert(m.tx, COUNT_ENTRIES, countEntries(audit.entries, newBatches));
  await bulkInsert(m.tx, STAGE_HISTORY, stageHistory(audit.entries, newBatches));

  // ── audit trail (kept for batches that no longer exist: the legacy table had no foreign key) ──
  {
    const counter = (e: { source: string }) => count(e.source === "audit_log" ? "audit_log" : "data/audit.json");
    count("audit_log").read += audit.read.table;
    count("data/audit.json").read += audit.read.file;
    const fresh = audit.entries.filter((e) => {
      if (isDone(e.source, e.key)) {
        counter(e).already++;
        return false;
      }
      return true;
    });
    const ids = await insertReturningIds(
      m.tx,
      AUDIT_LOG,
      fresh.map((e) => auditRow(e, importId)),
    );
    fresh.forEach((e, i) => {
      mark(e.source, e.key, String(ids[i]), e.timestamp);
      counter(e).imported++;
    });
  }

  // ── finished goods, their Apex decrements, history, holds ──
  const existingPackages = new Set((await m.tx.finishedGood.findMany({ select: { metrc_number: true } })).map((p) => p.metrc_number));
  const newPackages = new Set<string>();
  for (const row of source.tables.finished_goods) {
    const c = count("finished_goods");
    c.read++;
    const id = legacyText(row.metrc_number)?.trim() ?? "";
    if (isDone("finished_goods", id)) {
      c.already++;
      continue;
    }
    if (existingPackages.has(id)) {
      c.kept++;
      continue;
    }
    const mapped = mapFinishedGood(row, batchExists, m.now);
    if (!mapped.ok) {
      skip(mapped.skipped);
      continue;
    }
    for (const d of mapped.dropped) skip(d);
    await m.tx.finishedGood.create({ data: mapped.data });
    if (mapped.extras?.decrements.length) await m.tx.apexDecrement.createMany({ data: mapped.extras.decrements });
    newPackages.add(id);
    mark("finished_goods", id, id);
    c.imported++;
  }
  {
    const c = count("finished_goods_history");
    const lastGrams = new Map<string, number>();
    const rows: { data: Prisma.FinishedGoodHistoryCreateManyInput; key: string; ts?: string }[] = [];
    for (const row of source.tables.finished_goods_history) {
      c.read++;
      const key = legacyText(row.id) ?? "";
      const mapped = mapHistory(row, lastGrams);
      if (isDone("finished_goods_history", key)) {
        c.already++;
        continue;
      }
      if (!mapped.ok) {
        skip(mapped.skipped);
        continue;
      }
      for (const d of mapped.dropped) skip(d);
      rows.push({ data: mapped.data, key, ts: mapped.legacyTimestamp });
    }
    const ids = await insertReturningIds(
      m.tx,
      HISTORY,
      rows.map((r) => r.data),
    );
    rows.forEach((r, i) => mark("finished_goods_history", r.key, String(ids[i]), r.ts));
    c.imported += rows.length;
  }
  {
    const c = count("wholesale_holds");
    const existingHolds = new Set((await m.tx.wholesaleHold.findMany({ select: { id: true } })).map((h) => h.id));
    const packageExists = (metrc: string) => existingPackages.has(metrc) || newPackages.has(metrc);
    const rows = [];
    for (const row of source.tables.wholesale_holds) {
      c.read++;
      const id = legacyText(row.id)?.trim() ?? "";
      if (isDone("wholesale_holds", id)) {
        c.already++;
        continue;
      }
      if (existingHolds.has(id)) {
        c.kept++;
        continue;
      }
      const mapped = mapHold(row, packageExists);
      if (!mapped.ok) {
        skip(mapped.skipped);
        continue;
      }
      rows.push(mapped.data);
      mark("wholesale_holds", id, id);
      c.imported++;
    }
    for (const chunk of chunks(rows)) await m.tx.wholesaleHold.createMany({ data: chunk });
  }

  // ── settings, papers (inventory + usage + dismissed alerts), credentials ──
  const settings = mapSettings(source.tables.settings, source.files.settings?.value);
  for (const s of settings.skipped) skip(s);
  {
    count("settings").read += settings.read.table;
    count("data/settings.json").read += settings.read.file;
    for (const [key, value] of Object.entries(settings.settings)) {
      const c = count(settings.fromFile.includes(key) ? "data/settings.json" : "settings");
      if (isDone("settings", key)) {
        c.already++;
        continue;
      }
      const before = await m.tx.setting.findUnique({ where: { key } });
      await m.tx.setting.upsert({
        where: { key },
        create: { key, value: value as object, updated_by: IMPORT_ACTOR },
        update: { value: value as object, updated_by: IMPORT_ACTOR },
      });
      await m.audit({
        entity: "setting",
        entityId: key,
        label: key,
        before: { value: redact(before?.value) },
        after: { value: redact(value) },
      });
      mark("settings", key, key);
      c.imported++;
    }
  }
  await importPapers(m, source, settings, { merge: Boolean(options.merge), isDone, mark, count, skip, batchExists });
  report.credentials = await importCredentials(m, settings, source.env, { isDone, mark, count, skip });

  // ── nothing new: a re-run; nothing written, no event ──
  const { imported, skipped } = totals(report);
  report.changed = true;
  if (marks.length === 0 && !report.demo_removed) {
    report.changed = false;
    report.notes.push("nothing new to import: every legacy row was imported by an earlier run");
    unchanged(report);
  }
  await bulkInsert(
    m.tx,
    MARKS,
    marks.map((r) => ({ ...r, import_id: importId, imported_at: m.now })),
  );
  const summary = {
    at: m.now.toISOString(),
    source: source.path,
    schema_version: source.schemaVersion,
    import_id: importId,
    imported,
    skipped,
  };
  await m.tx.setting.upsert({
    where: { key: "legacy_import" },
    create: { key: "legacy_import", value: summary, updated_by: IMPORT_ACTOR },
    update: { value: summary, updated_by: IMPORT_ACTOR },
  });
  await m.audit({
    entity: "import",
    entityId: importId,
    label: path.basename(source.path),
    before: null,
    after: { source: "import", file: source.path, imported, skipped },
  });
  await m.emit("import.completed", {
    file: path.basename(source.path),
    kind: "legacy_preroll_tracker",
    rows_ok: imported,
    rows_failed: 0,
    rows: imported + skipped,
    created: imported,
    skipped,
    warnings: report.skipped.slice(0, 20).map((s) => `${s.table} ${s.id}${s.field ? `.${s.field}` : ""}: ${s.reason}`),
    tables: Object.fromEntries(Object.entries(report.tables).map(([t, c]) => [t, c.imported])),
  });
  if (options.dryRun) unchanged(report);
  return report;
}

/** Keys of rows an earlier run imported, per legacy table. */
async function importedKeys(tx: Tx): Promise<Map<string, Set<string>>> {
  const rows = await tx.legacyImportRow.findMany({ select: { source_table: true, legacy_key: true } });
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!out.has(r.source_table)) out.set(r.source_table, new Set());
    out.get(r.source_table)!.add(r.legacy_key);
  }
  return out;
}

/** "2 batches, 1 package" made here (neither demo nor imported); "" when none. */
async function rowsMadeHere(tx: Tx, demo: DemoData, done: Map<string, Set<string>>): Promise<string> {
  const batches = (await tx.batch.findMany({ select: { id: true } })).filter(
    (b) => !demo.batches.has(b.id) && !done.get("batches")?.has(b.id),
  );
  const packages = (await tx.finishedGood.findMany({ select: { metrc_number: true } })).filter(
    (p) => !demo.packages.has(p.metrc_number) && !done.get("finished_goods")?.has(p.metrc_number),
  );
  const holds = (await tx.wholesaleHold.findMany({ select: { id: true, metrc_number: true } })).filter(
    (h) => !demo.packages.has(h.metrc_number) && !done.get("wholesale_holds")?.has(h.id),
  );
  const parts: string[] = [];
  if (batches.length) parts.push(`${batches.length} batch${batches.length === 1 ? "" : "es"}`);
  if (packages.length) parts.push(`${packages.length} package${packages.length === 1 ? "" : "s"}`);
  if (holds.length) parts.push(`${holds.length} hold${holds.length === 1 ? "" : "s"}`);
  return parts.join(", ");
}

interface Steps {
  merge?: boolean;
  isDone: (table: string, key: string) => boolean;
  mark: (table: string, key: string, target: string, legacyTimestamp?: string | null) => void;
  count: (table: string) => TableCount;
  skip: (s: Skipped) => void;
  batchExists?: (id: string) => boolean;
}
export type ImportSteps = Steps;

/**
 * Papers per size from `inventory` (or data/inventory.json when the table is empty), box sizes
 * and thresholds from settings, usage history, and dismissed low-stock alerts.
 */
async function importPapers(m: Mutation, source: LegacySource, settings: ReturnType<typeof mapSettings>, steps: Steps): Promise<void> {
  const c = steps.count("inventory");
  let rows = source.tables.inventory;
  if (rows.length === 0 && source.files.inventory?.value && typeof source.files.inventory.value === "object") {
    rows = Object.entries(source.files.inventory.value as Record<string, unknown>).map(([size, v]) => ({ size, ...(v as object) }));
    if (rows.length) source.tables.inventory = rows; // for the report's read count
  }
  const dismissed = dismissedSizes(source.files.dismissed?.value);
  const supplyBySize = new Map<Size, string>();
  for (const row of rows) {
    c.read++;
    const size = sizes.find((s) => s === String(row.size ?? "").replace(".", "_")) ?? null;
    if (!size) {
      steps.skip({ table: "inventory", id: String(row.size), reason: "constraint", detail: "size is not 0_5, 0_7 or 1_0" });
      continue;
    }
    const existing = await m.tx.supply.findUnique({ where: { kind_size: { kind: PAPER_KIND, size } } });
    if (existing) supplyBySize.set(size, existing.id);
    if (steps.isDone("inventory", size)) {
      c.already++;
      continue;
    }
    if (existing && steps.merge) {
      c.kept++;
      continue;
    }
    const boxes = legacyNumber(row.boxes);
    const loose = legacyNumber(row.individual_papers);
    if (boxes === undefined || loose === undefined || (boxes ?? 0) < 0 || (loose ?? 0) < 0) {
      steps.skip({
        table: "inventory",
        id: size,
        reason: "constraint",
        detail: `boxes ${JSON.stringify(row.boxes)}, individual_papers ${JSON.stringify(row.individual_papers)}`,
      });
      continue;
    }
    const threshold = legacyNumber(row.low_threshold) ?? settings.thresholds[size] ?? PAPER_DEFAULTS[size].low_threshold_boxes;
    const data = {
      boxes: Math.round(boxes ?? 0),
      individual_units: Math.round(loose ?? 0),
      units_per_box: Math.round(settings.papersPerBox[size] ?? existing?.units_per_box ?? PAPER_DEFAULTS[size].units_per_box),
      low_threshold_boxes: Math.round(threshold),
      last_updated: legacyTime(row.last_updated) ?? m.now,
      alert_dismissed_at: null as Date | null,
    };
    if (dismissed.has(size) && isLow(data)) data.alert_dismissed_at = m.now;
    const after = existing
      ? await m.tx.supply.update({ where: { id: existing.id }, data })
      : await m.tx.supply.create({
          data: { kind: PAPER_KIND, size, name: PAPER_DEFAULTS[size].name, unit: PAPER_DEFAULTS[size].unit, ...data },
        });
    supplyBySize.set(size, after.id);
    await m.audit({ entity: "supply", entityId: after.id, label: after.name, before: existing, after });
    steps.mark("inventory", size, after.id);
    c.imported++;
  }

  const u = steps.count("inventory_usage");
  const usage = [];
  const keys: string[] = [];
  for (const row of source.tables.inventory_usage) {
    u.read++;
    const key = legacyText(row.id) ?? "";
    if (steps.isDone("inventory_usage", key)) {
      u.already++;
      continue;
    }
    const size = sizes.find((s) => s === String(row.size ?? "").replace(".", "_"));
    const used = legacyNumber(row.papers_used);
    const at = legacyTime(row.timestamp);
    if (!size || used === null || used === undefined || used < 0) {
      steps.skip({
        table: "inventory_usage",
        id: key,
        reason: "constraint",
        detail: `size ${JSON.stringify(row.size)}, papers_used ${JSON.stringify(row.papers_used)}`,
      });
      continue;
    }
    if (!at) {
      steps.skip({ table: "inventory_usage", id: key, reason: "timestamp", detail: `${JSON.stringify(row.timestamp)} is not a timestamp` });
      continue;
    }
    usage.push({
      supply_id: supplyBySize.get(size) ?? null,
      size,
      units_used: Math.round(used),
      batch_id: legacyText(row.batch_id),
      reason: "counts",
      at,
    });
    keys.push(key);
  }
  const ids = await insertReturningIds(m.tx, USAGE, usage);
  keys.forEach((k, i) => steps.mark("inventory_usage", k, String(ids[i])));
  u.imported += usage.length;
}

/** Sizes whose low-paper alert was dismissed (`dismissed_alerts.json`: a list or {dismissed: […]}). */
function dismissedSizes(value: unknown): Set<Size> {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === "object"
      ? Array.isArray((value as { dismissed?: unknown }).dismissed)
        ? (value as { dismissed: unknown[] }).dismissed
        : Object.keys(value)
      : [];
  const out = new Set<Size>();
  for (const item of list) {
    const m = /(0[._]5|0[._]7|1[._]0)/.exec(String(item));
    if (m) out.add(m[1].replace(".", "_") as Size);
  }
  return out;
}

// The bulk tables (bulkInsert: one multi-row INSERT per 100 rows; createMany is ~15× slower here).
const AUDIT_LOG = {
  table: "audit_log",
  model: "auditLog",
  columns: ["entity", "entity_id", "label", "field", "old", "new", "actor", "trace_id", "at"],
} as const;
const HISTORY = {
  table: "finished_goods_history",
  model: "finishedGoodHistory",
  columns: [
    "metrc_number",
    "timestamp",
    "change_type",
    "grams_changed",
    "current_grams",
    "grams_ordered",
    "grams_packed",
    "grams_fulfilled",
    "status",
    "details",
    "actor",
    "reason",
  ],
  json: ["details"],
} as const;
const USAGE = {
  table: "inventory_usage",
  model: "inventoryUsage",
  columns: ["supply_id", "size", "units_used", "batch_id", "reason", "at"],
} as const;
const COUNT_ENTRIES = {
  table: "count_entries",
  model: "countEntry",
  columns: ["batch_id", "size", "delta", "total_after", "actor", "source", "at"],
} as const;
const STAGE_HISTORY = {
  table: "stage_history",
  model: "stageHistory",
  columns: ["batch_id", "from_stage", "to_stage", "auto", "actor", "at"],
} as const;
const MARKS = {
  table: "legacy_import_rows",
  model: "legacyImportRow",
  columns: ["source_table", "legacy_key", "target_id", "legacy_timestamp", "import_id", "imported_at"],
} as const;

/**
 * Bulk insert, then the new rows' ids in insertion order. Inside this transaction we are the only
 * writer (SQLite's write lock), so the rows after the previous maximum id are exactly ours.
 */
async function insertReturningIds(
  tx: Tx,
  spec: {
    table: string;
    model: "auditLog" | "finishedGoodHistory" | "inventoryUsage";
    columns: readonly string[];
    json?: readonly string[];
  },
  rows: object[],
): Promise<number[]> {
  if (rows.length === 0) return [];
  const delegate = tx[spec.model] as unknown as {
    findFirst(a: object): Promise<{ id: number } | null>;
    findMany(a: object): Promise<{ id: number }[]>;
  };
  const before = (await delegate.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0;
  await bulkInsert(tx, spec, rows as Record<string, never>[]);
  const ids = (await delegate.findMany({ where: { id: { gt: before } }, orderBy: { id: "asc" }, select: { id: true } })).map((r) => r.id);
  if (ids.length !== rows.length) throw new Error(`${spec.table}: inserted ${rows.length} rows but found ${ids.length}`);
  return ids;
}

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function redact(value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const o = { ...(value as Record<string, unknown>) };
  for (const k of ["user_key", "app_token"]) if (typeof o[k] === "string" && o[k]) o[k] = "••••";
  return o;
}
