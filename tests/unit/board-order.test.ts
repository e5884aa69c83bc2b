import { describe, expect, it } from "vitest";
import { dropOn, moveWithinColumn } from "@/components/board/board-order";
import type { Batch } from "@/lib/domain/batches/batch-response";

const b = (id: string, stage: number, display_order: number) => ({ id, stage, display_order, strain: id }) as Batch;
// Global priority: a(2) b(0) c(2) d(1) e(2)
const board = [b("a", 2, 0), b("b", 0, 1), b("c", 2, 2), b("d", 1, 3), b("e", 2, 4)];

describe("board reorder", () => {
  it("moving a card up swaps it with the card above in its column; other stages keep their slots", () => {
    expect(moveWithinColumn(board, "c", -1)).toEqual(["c", "b", "a", "d", "e"]);
    expect(moveWithinColumn(board, "c", 1)).toEqual(["a", "b", "e", "d", "c"]);
  });

  it("the first card cannot go up, the last cannot go down, a lone card cannot move", () => {
    expect(moveWithinColumn(board, "a", -1)).toBeNull();
    expect(moveWithinColumn(board, "e", 1)).toBeNull();
    expect(moveWithinColumn(board, "b", 1)).toBeNull();
    expect(moveWithinColumn(board, "zzz", 1)).toBeNull();
  });

  it("dragging down lands after the target, dragging up before it; never across stages", () => {
    expect(dropOn(board, "a", "e")).toEqual(["c", "b", "e", "d", "a"]);
    expect(dropOn(board, "e", "a")).toEqual(["e", "b", "a", "d", "c"]);
    expect(dropOn(board, "a", "b")).toBeNull();
    expect(dropOn(board, "a", "a")).toBeNull();
  });
});
