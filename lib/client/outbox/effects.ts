import { queryKeys, type QueryKey } from "@/lib/client/query-keys";
import { sizes, stageNames, type Size } from "@/lib/domain/batches/constants";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { InventoryResponse } from "@/lib/domain/supplies/inventory-response";
import type { OutboxEntry } from "@/lib/client/outbox/types";

/**
 * What each kind of floor write does to the data on screen, as pure functions. The page shows the
 * server's data with the device's pending writes laid over it (so a tap shows at once, offline too,
 * and after a reload); when a write is applied, the same function moves its effect into the cached
 * server data before the refetch, so the number on screen never jumps back.
 */

export type OutboxKind =
  | "batch.counts"
  | "batch.stage"
  | "batch.update"
  | "batch.plan"
  | "batch.centrifuge"
  | "batch.weight-check"
  | "centrifuge.outcome"
  | "board.reorder"
  | "papers.update"
  | "papers.dismiss"
  | "papers.dismiss-all";

/** The part of an entry the effects read. */
export type PendingWrite = Pick<OutboxEntry, "kind" | "scope" | "request">;

export const batchScope = (id: string) => `batch:${id}`;
export const BOARD_SCOPE = "board";
export const INVENTORY_SCOPE = "inventory";

/** The batch id of a `batch:<id>` scope, else null. */
export function batchIdOfScope(scope: string): string | null {
  return scope.startsWith("batch:") ? scope.slice("batch:".length) : null;
}

const body = (w: PendingWrite) => (w.request.body ?? {}) as Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** One pending write applied to a batch (writes to other batches or of other kinds leave it as is). */
export function applyToBatch(batch: Batch, write: PendingWrite): Batch {
  if (batchIdOfScope(write.scope) !== batch.id) return batch;
  const b = body(write);
  switch (write.kind as OutboxKind) {
    case "batch.counts": {
      const next = { ...batch };
      for (const size of sizes) {
        const field = `counts_${size}` as const;
        const set = num(b[field]);
        const add = num(b[`add_${size}`]);
        if (set !== null) next[field] = Math.max(0, set);
        if (add !== null) next[field] = Math.max(0, next[field] + add);
      }
      next.total_count = next.counts_0_5 + next.counts_0_7 + next.counts_1_0;
      return next;
    }
    case "batch.stage": {
      const stage = num(b.stage);
      if (stage === null) return batch;
      return { ...batch, stage, stage_name: (stageNames[stage] ?? "Unknown") as Batch["stage_name"] };
    }
    case "batch.update":
      return { ...batch, ...(b as Partial<Batch>) };
    case "batch.plan": {
      const next = { ...batch };
      for (const size of sizes) {
        const v = num(b[`planned_${size}`]);
        if (v !== null) next[`planned_${size}`] = v;
      }
      return next;
    }
    case "batch.centrifuge": {
      const { size, ...settings } = b as { size?: Size } & Record<string, unknown>;
      if (!size) return batch;
      const bySize = { ...(batch.centrifuge_settings_by_size ?? {}) };
      bySize[size] = { ...(bySize[size] ?? {}), ...settings };
      return { ...batch, centrifuge_settings_by_size: bySize };
    }
    default:
      return batch;
  }
}

/** The board's list with pending writes laid over it (counts, stages, the order). */
export function applyToBatchList(batches: Batch[], writes: readonly PendingWrite[]): Batch[] {
  if (writes.length === 0) return batches;
  let out = batches;
  for (const write of writes) {
    if (write.kind === "board.reorder") {
      const ids = (body(write).batch_ids ?? []) as string[];
      const order = new Map(ids.map((id, index) => [id, index]));
      out = out.map((b) => (order.has(b.id) ? { ...b, display_order: order.get(b.id)! } : b));
    } else {
      const id = batchIdOfScope(write.scope);
      if (id) out = out.map((b) => (b.id === id ? applyToBatch(b, write) : b));
    }
  }
  return out;
}

/** Papers/cones with pending shelf counts and dismissals laid over them. */
export function applyToInventory(data: InventoryResponse, writes: readonly PendingWrite[]): InventoryResponse {
  let out = data;
  for (const write of writes) {
    const b = body(write);
    if (write.kind === "papers.update") {
      const size = b.size as Size;
      const boxes = num(b.box_count);
      const loose = num(b.individual_papers);
      if (!sizes.includes(size) || boxes === null || loose === null) continue;
      out = {
        ...out,
        inventory: {
          ...out.inventory,
          current_boxes: { ...out.inventory.current_boxes, [size]: boxes },
          individual_papers: { ...out.inventory.individual_papers, [size]: loose },
        },
        current_papers: { ...out.current_papers, [size]: boxes * out.inventory.papers_per_box[size] + loose },
      };
    } else if (write.kind === "papers.dismiss") {
      const size = write.request.path.split("/").pop();
      out = { ...out, alerts: out.alerts.filter((a) => a.size !== size) };
    } else if (write.kind === "papers.dismiss-all") {
      out = { ...out, alerts: [] };
    }
  }
  return out;
}

/** The queries a write makes stale once the server applied it. */
export function queryKeysForWrite(write: PendingWrite): QueryKey[] {
  const id = batchIdOfScope(write.scope);
  switch (write.kind as OutboxKind) {
    case "board.reorder":
      return [queryKeys.batches.active];
    case "papers.update":
    case "papers.dismiss":
    case "papers.dismiss-all":
      return [queryKeys.inventory.all];
    case "centrifuge.outcome":
      return [queryKeys.centrifuge.all, ...(id ? [queryKeys.batches.detail(id)] : [])];
    case "batch.weight-check":
      return id ? [queryKeys.batches.weightAnalytics(id), queryKeys.batches.detail(id), queryKeys.batches.active] : [];
    default:
      return id ? [queryKeys.batches.detail(id), queryKeys.batches.active, queryKeys.batches.rateHistory(id)] : [queryKeys.batches.all];
  }
}

/** What the pending and conflicts lists call an entry. */
export function describeWrite(write: PendingWrite & { meta?: Record<string, unknown> }): string {
  const b = body(write);
  const strain = typeof write.meta?.label === "string" ? write.meta.label : null;
  const on = strain ? ` · ${strain}` : "";
  const sizeOf = (k: string) => k.replace(/^(add_|counts_|planned_)/, "").replace("_", ".") + "g";
  switch (write.kind as OutboxKind) {
    case "batch.counts": {
      const parts = Object.entries(b).map(([k, v]) =>
        k.startsWith("add_") ? `${Number(v) >= 0 ? "+" : ""}${v} × ${sizeOf(k)}` : `${sizeOf(k)} count = ${v}`,
      );
      return `Count ${parts.join(", ")}${on}`;
    }
    case "batch.stage":
      return `Move to ${stageNames[Number(b.stage)] ?? `stage ${b.stage}`}${on}`;
    case "batch.update":
      return `Bagging counts${on}`;
    case "batch.plan":
      return `Plan${on}`;
    case "batch.centrifuge":
      return `Centrifuge settings ${String(b.size ?? "").replace("_", ".")}g${on}`;
    case "batch.weight-check":
      return `Weight sample ${String(b.sample_weight)} g (${String(b.size)})${on}`;
    case "centrifuge.outcome":
      return `Centrifuge outcome${on}`;
    case "board.reorder":
      return "Board order";
    case "papers.update":
      return `Papers ${String(b.size ?? "").replace("_", ".")}g: ${String(b.box_count)} boxes, ${String(b.individual_papers)} loose`;
    case "papers.dismiss":
      return "Dismiss a papers alert";
    case "papers.dismiss-all":
      return "Dismiss all papers alerts";
    default:
      return write.kind;
  }
}
