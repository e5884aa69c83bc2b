import { describe, expect, it } from "vitest";
import { LIVE_EVENT_TYPES, LIVE_STREAM_GLOBS, queryKeysForEvent } from "@/lib/client/live/invalidation-map";
import { queryKeys } from "@/lib/client/query-keys";
import { eventTypes } from "@/lib/events/catalogue";

const BATCH = "b-1";

/** Families whose events change what a page shows: each of their types must be decided on. */
const PAGE_FAMILIES = [
  "batch",
  "weight_check",
  "centrifuge",
  "learning",
  "finished_good",
  "supply",
  "inventory",
  "wholesale",
  "setting",
  "snapshot",
];
/** Types of those families that deliberately refresh nothing. */
const IGNORED = new Set(["batch.mass_balance_gap", "weight_check.out_of_tolerance"]);

describe("event type → query keys", () => {
  it("a count on one batch refreshes that batch's page, the board, its rate and weights, and the papers", () => {
    expect(queryKeysForEvent("batch.counts_changed", { batch_id: BATCH, strain: "X" })).toEqual([
      queryKeys.batches.active,
      queryKeys.batches.detail(BATCH),
      queryKeys.batches.rateHistory(BATCH),
      queryKeys.batches.weightAnalytics(BATCH),
      queryKeys.analytics.all,
      queryKeys.inventory.papers,
    ]);
  });

  it("a stage move refreshes the board and that batch only, not other batches", () => {
    const keys = queryKeysForEvent("batch.stage_changed", { batch_id: BATCH });
    expect(keys).toContainEqual(queryKeys.batches.detail(BATCH));
    expect(keys).toContainEqual(queryKeys.batches.active);
    expect(keys).not.toContainEqual(queryKeys.batches.all);
    expect(keys).not.toContainEqual(queryKeys.batches.detail("other"));
  });

  it("a batch event without a batch id (or a garbled payload) falls back to every batch query", () => {
    const fallback = [queryKeys.batches.all, queryKeys.analytics.all];
    expect(queryKeysForEvent("batch.updated", {})).toEqual(fallback);
    expect(queryKeysForEvent("batch.updated", null)).toEqual(fallback);
    expect(queryKeysForEvent("batch.updated", { batch_id: 42 })).toEqual(fallback);
  });

  it("papers, weight checks and finished goods reach their own pages", () => {
    expect(queryKeysForEvent("supply.updated", { supply_id: "s" })).toEqual([queryKeys.inventory.all]);
    expect(queryKeysForEvent("weight_check.recorded", { batch_id: BATCH })).toContainEqual(queryKeys.batches.weightAnalytics(BATCH));
    expect(queryKeysForEvent("finished_good.deducted", { metrc_number: "1A4" })).toEqual([
      queryKeys.finishedGoods.all,
      queryKeys.wholesale.all,
      queryKeys.analytics.all,
      queryKeys.genealogy.all,
    ]);
    // A hold changes the package's card (held units) as well as the wholesale page and a recall.
    expect(queryKeysForEvent("wholesale.hold_created", { hold_id: "h" })).toEqual([
      queryKeys.finishedGoods.all,
      queryKeys.wholesale.all,
      queryKeys.genealogy.all,
    ]);
  });

  it("a batch's source packages refresh the genealogy queries (inputs lists, recalls), not the board", () => {
    for (const type of ["batch.input_added", "batch.input_changed", "batch.input_removed"]) {
      expect(queryKeysForEvent(type, { batch_id: BATCH }), type).toEqual([queryKeys.genealogy.all]);
    }
    // A recall shows packages' current grams: a sale refreshes it.
    expect(queryKeysForEvent("finished_good.apex_decremented", { metrc_number: "1A4" })).toContainEqual(queryKeys.genealogy.all);
  });

  it("a new sales snapshot refreshes the recommendations page", () => {
    expect(queryKeysForEvent("snapshot.created", { timestamp: "20261207_120000" })).toEqual([queryKeys.recommendations.all]);
  });

  it("events no page shows, and unknown or prototype-named types, refresh nothing", () => {
    for (const type of ["job.completed", "inbound.received", "user.created", "no.such", "__proto__", "constructor", "toString"]) {
      expect(queryKeysForEvent(type, { batch_id: BATCH }), type).toEqual([]);
    }
  });

  it("admin events reach the admin pages' queries", () => {
    expect(queryKeysForEvent("backup.completed", { backup_id: "x" })).toEqual([queryKeys.backups.all]);
    expect(queryKeysForEvent("delivery.retried", {})).toEqual([queryKeys.eventSystem.deliveriesAll]);
    expect(queryKeysForEvent("subscriber.created", {})).toEqual([queryKeys.eventSystem.subscribers]);
  });

  it("every mapped type exists in the event catalogue", () => {
    for (const type of LIVE_EVENT_TYPES) expect(eventTypes, type).toContain(type);
  });

  it("every catalogue type of a page-facing family is either mapped or deliberately ignored", () => {
    const undecided = eventTypes.filter((t) => PAGE_FAMILIES.includes(t.split(".")[0]) && !LIVE_EVENT_TYPES.includes(t) && !IGNORED.has(t));
    expect(undecided).toEqual([]);
  });

  it("the stream filter covers exactly the mapped families", () => {
    for (const type of LIVE_EVENT_TYPES) expect(LIVE_STREAM_GLOBS).toContain(`${type.split(".")[0]}.*`);
    expect(LIVE_STREAM_GLOBS).not.toContain("job.*");
  });
});
