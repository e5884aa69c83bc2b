import { queryKeys, type QueryKey } from "@/lib/client/query-keys";

/**
 * Which queries an event makes stale. Events are "something changed" signals, not data: the
 * affected queries are refetched from the API. A type not listed here touches no floor query.
 * The stream is opened with `LIVE_EVENT_TYPES` as its filter, so the server only sends these.
 */

interface Payload {
  batch_id?: unknown;
  strain?: unknown;
}

const batchId = (p: Payload): string | null => (typeof p.batch_id === "string" ? p.batch_id : null);

/** Keys of one batch (board + its page), or every batch query when the event names none; analytics follow every batch change. */
function batchKeys(p: Payload, ...extra: ((id: string) => QueryKey)[]): QueryKey[] {
  const id = batchId(p);
  if (!id) return [queryKeys.batches.all, queryKeys.analytics.all];
  return [queryKeys.batches.active, queryKeys.batches.detail(id), ...extra.map((k) => k(id)), queryKeys.analytics.all];
}

// Every package change moves what wholesale can hold (and the analytics' grams over time), and
// what a /genealogy recall lists (current grams, status, orders).
const finishedGoods = () => [queryKeys.finishedGoods.all, queryKeys.wholesale.all, queryKeys.analytics.all, queryKeys.genealogy.all];

const rules: Record<string, (p: Payload) => QueryKey[]> = {
  "batch.created": () => [queryKeys.batches.active, queryKeys.analytics.all],
  "batch.updated": (p) => batchKeys(p, queryKeys.batches.rateHistory),
  "batch.deleted": () => [queryKeys.batches.all, queryKeys.analytics.all],
  "batch.archived": () => [queryKeys.batches.all, queryKeys.analytics.all],
  "batch.stage_changed": (p) => batchKeys(p, queryKeys.batches.rateHistory),
  // Counts consume papers/cones in the same transaction: the papers page changes too.
  "batch.counts_changed": (p) => [
    ...batchKeys(p, queryKeys.batches.rateHistory, queryKeys.batches.weightAnalytics),
    queryKeys.inventory.papers,
  ],
  "batch.reordered": () => [queryKeys.batches.active],
  "batch.plan_updated": (p) => batchKeys(p, queryKeys.batches.rateHistory),
  // The desk's centrifuge page lists setting changes per strain.
  "batch.centrifuge_updated": (p) => [...batchKeys(p), queryKeys.centrifuge.history],
  "batch.testing_overdue": () => [queryKeys.batches.active],
  // A batch's source packages: its inputs list and every recall search.
  "batch.input_added": () => [queryKeys.genealogy.all],
  "batch.input_changed": () => [queryKeys.genealogy.all],
  "batch.input_removed": () => [queryKeys.genealogy.all],
  "weight_check.recorded": (p) => batchKeys(p, queryKeys.batches.weightAnalytics),
  "weight_check.deleted": (p) => batchKeys(p, queryKeys.batches.weightAnalytics),
  "centrifuge.outcome_recorded": () => [queryKeys.centrifuge.all],
  "learning.recommendations_updated": () => [queryKeys.centrifuge.all],
  "supply.updated": () => [queryKeys.inventory.all],
  "supply.low_stock": () => [queryKeys.inventory.all],
  "supply.alert_dismissed": () => [queryKeys.inventory.all],
  "inventory.alert": () => [queryKeys.inventory.all],
  // Machines and zones are settings: every centrifuge figure may change.
  "setting.updated": () => [queryKeys.settings, queryKeys.pushover, queryKeys.inventory.all, queryKeys.audit.all, queryKeys.centrifuge.all],
  "finished_good.created": finishedGoods,
  "finished_good.updated": finishedGoods,
  "finished_good.deducted": finishedGoods,
  "finished_good.added": finishedGoods,
  "finished_good.packed": finishedGoods,
  "finished_good.ordered": finishedGoods,
  "finished_good.order_completed": finishedGoods,
  "finished_good.overridden": finishedGoods,
  "finished_good.apex_updated": finishedGoods,
  "finished_good.apex_decremented": finishedGoods,
  "finished_good.archived": finishedGoods,
  "finished_good.restored": finishedGoods,
  "finished_good.deleted": finishedGoods,
  // A hold changes the package's card too (held units, grams after holds), and a recall's holds.
  "wholesale.hold_created": () => [queryKeys.finishedGoods.all, queryKeys.wholesale.all, queryKeys.genealogy.all],
  "wholesale.hold_released": () => [queryKeys.finishedGoods.all, queryKeys.wholesale.all, queryKeys.genealogy.all],
  // Admin pages (/admin/backups, /admin/events): rare events only — deliveries completing and job
  // runs are not streamed (the floor's stream would carry them), nor inbound.* (a busy source
  // would flood every tablet); those views poll or refresh after their own actions instead.
  "backup.started": () => [queryKeys.backups.all],
  "backup.completed": () => [queryKeys.backups.all],
  "backup.failed": () => [queryKeys.backups.all],
  "backup.pruned": () => [queryKeys.backups.all],
  "subscriber.created": () => [queryKeys.eventSystem.subscribers],
  "subscriber.updated": () => [queryKeys.eventSystem.subscribers],
  "subscriber.deleted": () => [queryKeys.eventSystem.subscribers, queryKeys.eventSystem.deliveriesAll],
  "subscriber.disabled": () => [queryKeys.eventSystem.subscribers],
  "subscriber.secret_rotated": () => [queryKeys.eventSystem.subscribers],
  "subscriber.recovered": () => [queryKeys.eventSystem.subscribers, queryKeys.eventSystem.deliveriesAll],
  "delivery.retried": () => [queryKeys.eventSystem.deliveriesAll],
  "delivery.cancelled": () => [queryKeys.eventSystem.deliveriesAll],
  "delivery.dead": () => [queryKeys.eventSystem.deliveriesAll, queryKeys.eventSystem.subscribers],
  "event_source.created": () => [queryKeys.eventSystem.sources],
  "event_source.updated": () => [queryKeys.eventSystem.sources],
  "event_source.deleted": () => [queryKeys.eventSystem.sources, queryKeys.eventSystem.inboundAll],
  "snapshot.created": () => [queryKeys.recommendations.all],
};

/** The exact event types the client listens for (SSE sends each as a named event). */
export const LIVE_EVENT_TYPES: readonly string[] = Object.keys(rules);

/** The stream's server-side filter (`?type=`): the families of the types above. */
export const LIVE_STREAM_GLOBS: readonly string[] = [...new Set(LIVE_EVENT_TYPES.map((t) => `${t.slice(0, t.indexOf("."))}.*`))];

/** The query keys an event invalidates (empty: it concerns no page). */
export function queryKeysForEvent(type: string, payload: unknown): QueryKey[] {
  if (!Object.hasOwn(rules, type)) return [];
  const p = payload !== null && typeof payload === "object" ? (payload as Payload) : {};
  return rules[type](p);
}
