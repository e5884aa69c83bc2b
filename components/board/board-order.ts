import type { Batch } from "@/lib/domain/batches/batch-response";

/** Priority order of the board: `display_order`, then strain, then id (stable). */
export function byPriority(a: Pick<Batch, "display_order" | "strain" | "id">, b: Pick<Batch, "display_order" | "strain" | "id">): number {
  return a.display_order - b.display_order || a.strain.localeCompare(b.strain) || a.id.localeCompare(b.id);
}

/** The ids of one stage column, in priority order. */
function columnIds(all: readonly Batch[], stage: number): string[] {
  return all
    .filter((b) => b.stage === stage)
    .sort(byPriority)
    .map((b) => b.id);
}

/**
 * The whole board's new order after a stage column was reordered: the column's batches take the
 * column's slots in the global order, in their new sequence; every other batch keeps its place.
 */
export function withColumnOrder(all: readonly Batch[], stage: number, newColumn: readonly string[]): string[] {
  const ordered = [...all].sort(byPriority);
  const queue = [...newColumn];
  return ordered.map((b) => (b.stage === stage ? (queue.shift() ?? b.id) : b.id));
}

/** Moves `id` one place up (-1) or down (+1) within its column; null when it cannot move. */
export function moveWithinColumn(all: readonly Batch[], id: string, direction: -1 | 1): string[] | null {
  const batch = all.find((b) => b.id === id);
  if (!batch) return null;
  const column = columnIds(all, batch.stage);
  const from = column.indexOf(id);
  const to = from + direction;
  if (to < 0 || to >= column.length) return null;
  [column[from], column[to]] = [column[to], column[from]];
  return withColumnOrder(all, batch.stage, column);
}

/** Drag and drop: moves `id` to the place of `targetId` in their (shared) column. */
export function dropOn(all: readonly Batch[], id: string, targetId: string): string[] | null {
  const batch = all.find((b) => b.id === id);
  const target = all.find((b) => b.id === targetId);
  if (!batch || !target || batch.stage !== target.stage || id === targetId) return null;
  const column = columnIds(all, batch.stage);
  const to = column.indexOf(targetId);
  column.splice(column.indexOf(id), 1);
  column.splice(to, 0, id); // dragged down: lands after the target; dragged up: before it
  return withColumnOrder(all, batch.stage, column);
}
