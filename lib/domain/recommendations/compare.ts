import { z } from "zod";
import { stringify } from "csv/sync";
import { notFound } from "@/lib/http/errors";
import { strainKey } from "@/lib/domain/strains/strain-key";
import { urgencies, type Recommendation, type SnapshotData, type Urgency } from "@/lib/domain/recommendations/formulas";
import { loadSnapshot, timestampSchema } from "@/lib/domain/recommendations/snapshots";
import type { CompareResponse, ExportResponse, InsightsResponse } from "@/lib/domain/recommendations/recommendation-response";

/**
 * Comparing two snapshots (timestamp1 = the earlier/base one, timestamp2 = the later one, as
 * given), the insights drawn from the comparison, and the CSV export.
 */

const ALL_STORES = new Set(["", "all", "all stores", "combined"]);

export const compareSchema = z.object({
  timestamp1: timestampSchema,
  timestamp2: timestampSchema,
  store_filter: z.string().trim().max(200).nullish(),
});

export type ComparisonStatus = "new" | "removed" | "changed" | "unchanged";

export interface Comparison {
  strain: string;
  status: ComparisonStatus;
  old: Recommendation | null;
  new: Recommendation | null;
  changes: {
    inventory_delta: number;
    avg_sold_per_day_delta: number;
    days_until_stockout_delta: number | null;
    priority_score_delta: number;
    urgency_from: Urgency | null;
    urgency_to: Urgency | null;
  };
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const EPSILON = 1e-9;

/** The rows one view of a snapshot shows: combined, or one store's (matched like strain names). */
function rowsFor(data: SnapshotData, store: string | null): Recommendation[] {
  if (store === null) return data.combined;
  const key = strainKey(store);
  return data.stores.filter((r) => strainKey(r.store) === key);
}

/** Pure: strain-by-strain comparison (strains matched with strainKey), sorted by strain. */
export function compareRows(oldRows: Recommendation[], newRows: Recommendation[]): Comparison[] {
  const olds = new Map(oldRows.map((r) => [strainKey(r.strain), r]));
  const news = new Map(newRows.map((r) => [strainKey(r.strain), r]));
  const keys = new Set([...olds.keys(), ...news.keys()]);
  const out: Comparison[] = [];
  for (const key of keys) {
    const o = olds.get(key) ?? null;
    const n = news.get(key) ?? null;
    const inventory_delta = r2((n?.total_inventory ?? 0) - (o?.total_inventory ?? 0));
    const avg_sold_per_day_delta = r2((n?.avg_sold_per_day ?? 0) - (o?.avg_sold_per_day ?? 0));
    const days_until_stockout_delta =
      o && n && o.days_until_stockout !== null && n.days_until_stockout !== null ? r2(n.days_until_stockout - o.days_until_stockout) : null;
    const priority_score_delta = r2((n?.priority_score ?? 0) - (o?.priority_score ?? 0));
    let status: ComparisonStatus;
    if (!o) status = "new";
    else if (!n) status = "removed";
    else if (Math.abs(inventory_delta) > EPSILON || Math.abs(avg_sold_per_day_delta) > EPSILON || o.urgency !== n.urgency)
      status = "changed";
    else status = "unchanged";
    out.push({
      strain: (n ?? o)!.strain,
      status,
      old: o,
      new: n,
      changes: {
        inventory_delta,
        avg_sold_per_day_delta,
        days_until_stockout_delta,
        priority_score_delta,
        urgency_from: o?.urgency ?? null,
        urgency_to: n?.urgency ?? null,
      },
    });
  }
  return out.sort((a, b) => a.strain.localeCompare(b.strain));
}

export async function compareSnapshots(body: z.output<typeof compareSchema>): Promise<CompareResponse> {
  const [a, b] = [await loadSnapshot(body.timestamp1), await loadSnapshot(body.timestamp2)];
  const store = body.store_filter && !ALL_STORES.has(body.store_filter.toLowerCase()) ? body.store_filter : null;
  const oldRows = rowsFor(a.data, store);
  const newRows = rowsFor(b.data, store);
  if (store !== null && oldRows.length === 0 && newRows.length === 0) {
    throw notFound(`Store "${store}" is in neither snapshot`, "store_not_found");
  }
  const comparisons = compareRows(oldRows, newRows);
  const summary = { new: 0, removed: 0, changed: 0, unchanged: 0 } as Record<ComparisonStatus, number>;
  for (const c of comparisons) summary[c.status] += 1;
  return { timestamp1: a.timestamp, timestamp2: b.timestamp, store_filter: store, comparisons, summary };
}

// ───────── Insights ─────────

export const insightsSchema = z.object({ timestamp1: timestampSchema, timestamp2: timestampSchema });

export interface Insight {
  type: "danger" | "warning" | "info" | "success";
  title: string;
  message: string;
  strains?: string[];
}

const rank = (u: Urgency | null) => (u === null ? -1 : urgencies.length - 1 - urgencies.indexOf(u)); // low 0 … critical 3
const list = (names: string[], max = 5) =>
  names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Pure: what changed between two combined views, most pressing first.
 * - danger:  strains now out of stock while selling; strains that became critical.
 * - warning: strains that became high urgency; strains selling ≥ 25 % faster (and ≥ 0.5/day more).
 * - info:    strains new to / gone from the sales data; the total inventory change.
 * - success: strains that were critical or high and are now medium or low.
 */
export function insightsFrom(comparisons: Comparison[]): Insight[] {
  const out: Insight[] = [];
  const names = (pred: (c: Comparison) => boolean) => comparisons.filter(pred).map((c) => c.strain);

  const outOfStock = names((c) => c.new !== null && c.new.total_inventory <= 0 && c.new.avg_sold_per_day > 0);
  if (outOfStock.length) {
    out.push({
      type: "danger",
      title: "Out of stock",
      message: `${plural(outOfStock.length, "strain")} selling with no inventory left: ${list(outOfStock)}`,
      strains: outOfStock,
    });
  }
  const oos = new Set(outOfStock);
  const critical = names((c) => c.changes.urgency_to === "critical" && c.changes.urgency_from !== "critical" && !oos.has(c.strain));
  if (critical.length) {
    out.push({
      type: "danger",
      title: "Became critical",
      message: `${plural(critical.length, "strain")} will sell out within 3 days: ${list(critical)}`,
      strains: critical,
    });
  }
  const high = names((c) => c.changes.urgency_to === "high" && rank(c.changes.urgency_from) < rank("high"));
  if (high.length) {
    out.push({
      type: "warning",
      title: "Running low",
      message: `${plural(high.length, "strain")} now within a week of selling out: ${list(high)}`,
      strains: high,
    });
  }
  const faster = names((c) => {
    if (!c.old || !c.new) return false;
    const delta = c.new.avg_sold_per_day - c.old.avg_sold_per_day;
    return delta >= 0.5 && (c.old.avg_sold_per_day === 0 || delta / c.old.avg_sold_per_day >= 0.25);
  });
  if (faster.length) {
    out.push({
      type: "warning",
      title: "Selling faster",
      message: `Sales picked up by 25 % or more for ${plural(faster.length, "strain")}: ${list(faster)}`,
      strains: faster,
    });
  }
  const added = names((c) => c.status === "new");
  if (added.length)
    out.push({
      type: "info",
      title: "New strains",
      message: `${plural(added.length, "strain")} appeared in the sales data: ${list(added)}`,
      strains: added,
    });
  const removed = names((c) => c.status === "removed");
  if (removed.length)
    out.push({
      type: "info",
      title: "Strains gone",
      message: `${plural(removed.length, "strain")} no longer in the sales data: ${list(removed)}`,
      strains: removed,
    });

  const before = comparisons.reduce((s, c) => s + (c.old?.total_inventory ?? 0), 0);
  const after = comparisons.reduce((s, c) => s + (c.new?.total_inventory ?? 0), 0);
  const pct = before > 0 ? ` (${after >= before ? "+" : ""}${Math.round(((after - before) / before) * 1000) / 10} %)` : "";
  out.push({
    type: "info",
    title: "Total inventory",
    message: `Store inventory went from ${r2(before).toLocaleString("en-US")} to ${r2(after).toLocaleString("en-US")} units${pct}`,
  });

  const recovered = names(
    (c) => rank(c.changes.urgency_from) >= rank("high") && c.changes.urgency_to !== null && rank(c.changes.urgency_to) <= rank("medium"),
  );
  if (recovered.length) {
    out.push({
      type: "success",
      title: "Restocked",
      message: `${plural(recovered.length, "strain")} no longer urgent: ${list(recovered)}`,
      strains: recovered,
    });
  }
  return out;
}

export async function snapshotInsights(body: z.output<typeof insightsSchema>): Promise<InsightsResponse> {
  const [a, b] = [await loadSnapshot(body.timestamp1), await loadSnapshot(body.timestamp2)];
  return { timestamp1: a.timestamp, timestamp2: b.timestamp, insights: insightsFrom(compareRows(a.data.combined, b.data.combined)) };
}

// ───────── CSV export ─────────

export const exportSchema = z.object({
  timestamp: timestampSchema,
  /** combined = one row per strain; stores = per store × strain; all (default) = both. */
  view: z.enum(["all", "combined", "stores"]).default("all"),
});

export const EXPORT_COLUMNS = [
  "store",
  "strain",
  "total_inventory",
  "avg_sold_per_day",
  "days_until_stockout",
  "urgency",
  "priority_score",
] as const;

/** Cells that a spreadsheet would run as a formula get a leading apostrophe (CSV injection). */
function safeCell(v: unknown): unknown {
  return typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function snapshotCsv(data: SnapshotData, view: "all" | "combined" | "stores"): string {
  const rows: Record<string, unknown>[] = [];
  if (view !== "stores") for (const r of data.combined) rows.push({ ...r, store: "All stores" });
  if (view !== "combined") for (const r of data.stores) rows.push({ ...r });
  return stringify(
    rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, safeCell(r[c] ?? "")]))),
    { header: true, columns: [...EXPORT_COLUMNS] },
  );
}

export async function exportSnapshotCsv(body: z.output<typeof exportSchema>): Promise<ExportResponse> {
  const s = await loadSnapshot(body.timestamp);
  return {
    csv: snapshotCsv(s.data, body.view),
    filename: `recommendations_${s.timestamp}${body.view === "all" ? "" : `_${body.view}`}.csv`,
  };
}
