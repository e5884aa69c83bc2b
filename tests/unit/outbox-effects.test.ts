import { describe, expect, it } from "vitest";
import {
  applyToBatch,
  applyToBatchList,
  applyToInventory,
  describeWrite,
  queryKeysForWrite,
  type PendingWrite,
} from "@/lib/client/outbox/effects";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { InventoryResponse } from "@/lib/domain/supplies/inventory-response";

/** What the floor pages show while writes wait on the device: the server's data with them laid over it. */

const batch = (over: Partial<Batch> = {}): Batch =>
  ({
    id: "b1",
    strain: "Blue Dream",
    stage: 2,
    stage_name: "In progress",
    counts_0_5: 100,
    counts_0_7: 10,
    counts_1_0: 0,
    total_count: 110,
    planned_0_5: 1000,
    planned_0_7: 500,
    planned_1_0: 0,
    display_order: 0,
    centrifuge_settings_by_size: null,
    ...over,
  }) as Batch;

const write = (kind: string, body: unknown, scope = "batch:b1", path = "/api/x"): PendingWrite => ({
  kind,
  scope,
  request: { method: "POST", path, body },
});

const overlay = (b: Batch, writes: PendingWrite[]) => writes.reduce(applyToBatch, b);

describe("pending writes on a batch", () => {
  it("adds increments in order and an exact entry replaces the count, keeping the total in step", () => {
    const shown = overlay(batch(), [
      write("batch.counts", { add_0_5: 25 }),
      write("batch.counts", { add_0_5: 25 }),
      write("batch.counts", { add_0_5: -25 }),
      write("batch.counts", { counts_0_7: 300 }),
      write("batch.counts", { add_0_7: 50 }),
    ]);
    expect([shown.counts_0_5, shown.counts_0_7, shown.total_count]).toEqual([125, 350, 475]);
  });

  it("never shows a count below zero, as the server never stores one", () => {
    expect(overlay(batch({ counts_0_5: 20 }), [write("batch.counts", { add_0_5: -100 })]).counts_0_5).toBe(0);
  });

  it("moves the stage with its name, and lays plans, bagging and centrifuge settings over the batch", () => {
    const shown = overlay(batch(), [
      write("batch.stage", { stage: 3 }),
      write("batch.plan", { planned_0_5: 800, planned_0_7: 400, planned_1_0: 100, plan_use_grams: 0 }),
      write("batch.update", { packaged_singles: 12 }),
      write("batch.centrifuge", { size: "0_7", centrifuge_rpm: 1800, centrifuge_time_seconds: 12 }),
    ]);
    expect([shown.stage, shown.stage_name]).toEqual([3, "Finished"]);
    expect([shown.planned_0_5, shown.planned_0_7, shown.planned_1_0]).toEqual([800, 400, 100]);
    expect((shown as Batch & { packaged_singles: number }).packaged_singles).toBe(12);
    expect(shown.centrifuge_settings_by_size).toEqual({ "0_7": { centrifuge_rpm: 1800, centrifuge_time_seconds: 12 } });
  });

  it("leaves other batches alone", () => {
    const other = batch({ id: "b2" });
    expect(applyToBatch(other, write("batch.counts", { add_0_5: 25 }))).toBe(other);
  });

  it("reorders the board and shows each batch's pending counts there", () => {
    const list = applyToBatchList(
      [batch({ id: "b1", display_order: 0 }), batch({ id: "b2", display_order: 1, counts_0_5: 0, total_count: 0 })],
      [write("board.reorder", { batch_ids: ["b2", "b1"] }, "board"), write("batch.counts", { add_0_5: 50 }, "batch:b2")],
    );
    expect(list.map((b) => [b.id, b.display_order, b.counts_0_5])).toEqual([
      ["b1", 1, 100],
      ["b2", 0, 50],
    ]);
  });
});

describe("pending writes on papers and cones", () => {
  const inventory = {
    inventory: {
      current_boxes: { "0_5": 2, "0_7": 9, "1_0": 3 },
      papers_per_box: { "0_5": 1000, "0_7": 800, "1_0": 800 },
      alert_thresholds: { "0_5": 5, "0_7": 5, "1_0": 5 },
      individual_papers: { "0_5": 0, "0_7": 0, "1_0": 0 },
      last_updated: { "0_5": null, "0_7": null, "1_0": null },
    },
    current_papers: { "0_5": 2000, "0_7": 7200, "1_0": 2400 },
    alerts: [{ size: "0_5" }, { size: "1_0" }],
    analytics: {},
  } as unknown as InventoryResponse;

  it("shows a shelf count at once, with the total recomputed", () => {
    const shown = applyToInventory(inventory, [write("papers.update", { size: "0_5", box_count: 7, individual_papers: 120 }, "inventory")]);
    expect(shown.inventory.current_boxes["0_5"]).toBe(7);
    expect(shown.current_papers["0_5"]).toBe(7120);
  });

  it("hides a dismissed banner, or all of them", () => {
    const one = applyToInventory(inventory, [write("papers.dismiss", {}, "inventory", "/api/dismiss-inventory-alert/0_5")]);
    expect(one.alerts.map((a) => a.size)).toEqual(["1_0"]);
    expect(applyToInventory(inventory, [write("papers.dismiss-all", {}, "inventory")]).alerts).toEqual([]);
  });
});

describe("after the server applied a write", () => {
  it("refetches what it touched", () => {
    expect(queryKeysForWrite(write("batch.counts", { add_0_5: 25 }))).toEqual([
      ["batches", "detail", "b1"],
      ["batches", "active"],
      ["batches", "rate-history", "b1"],
    ]);
    expect(queryKeysForWrite(write("papers.update", {}, "inventory"))).toEqual([["inventory"]]);
    expect(queryKeysForWrite(write("board.reorder", {}, "board"))).toEqual([["batches", "active"]]);
  });

  it("names writes in the lists by what they did and to which batch", () => {
    expect(describeWrite({ ...write("batch.counts", { add_0_5: 25 }), meta: { label: "Blue Dream" } })).toBe(
      "Count +25 × 0.5g · Blue Dream",
    );
    expect(describeWrite({ ...write("batch.stage", { stage: 3 }), meta: {} })).toBe("Move to Finished");
  });
});
