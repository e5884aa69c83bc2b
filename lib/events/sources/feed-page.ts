import { globMatch } from "@/lib/events/glob";

/**
 * Reading one page of a remote cursor feed (seed 003): `{events: [{id, type, …}], lastEventId,
 * hasMore}`. Remote systems differ in spelling, so this accepts `id|eventId|event_id`,
 * `type|eventType|event_type`, a body in `payload` or `data` (else the event's other fields,
 * e.g. seed 003's `{occurredAt, order: {…}}`), `lastEventId|last_event_id|cursor`, and
 * `hasMore|has_more`. An event without an id or type cannot be de-duplicated or routed: it is
 * counted as invalid and skipped.
 */

export interface FeedEvent {
  id: string;
  type: string;
  payload: unknown;
}

export interface FeedPage {
  events: FeedEvent[];
  /** Events the page listed that had no usable id or type. */
  invalid: number;
  /** The cursor for the next request: the feed's own, else the last event's id; null if neither. */
  lastEventId: string | null;
  /** The feed's flag; without one, a full page is taken to mean "ask again". */
  hasMore: boolean;
}

export class FeedShapeError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function first(obj: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

function idText(v: unknown): string | null {
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  if (typeof v === "string" && v.trim() !== "" && v.length <= 500) return v.trim();
  return null;
}

const ID_KEYS = ["id", "eventId", "event_id"];
const TYPE_KEYS = ["type", "eventType", "event_type"];

export function parseFeedPage(body: unknown, limit: number): FeedPage {
  if (!isRecord(body)) throw new FeedShapeError("Expected a JSON object with an events array");
  const list = first(body, ["events", "data", "items"]);
  if (!Array.isArray(list)) throw new FeedShapeError("Expected a JSON object with an events array");
  const events: FeedEvent[] = [];
  let invalid = 0;
  for (const raw of list) {
    if (!isRecord(raw)) {
      invalid++;
      continue;
    }
    const id = idText(first(raw, ID_KEYS));
    const typeRaw = first(raw, TYPE_KEYS);
    const type = typeof typeRaw === "string" && typeRaw.trim() !== "" && typeRaw.length <= 200 ? typeRaw.trim() : null;
    if (!id || !type) {
      invalid++;
      continue;
    }
    let payload = first(raw, ["payload", "data"]);
    if (payload === undefined) {
      const rest: Record<string, unknown> = { ...raw };
      for (const k of [...ID_KEYS, ...TYPE_KEYS]) delete rest[k];
      payload = rest;
    }
    events.push({ id, type, payload });
  }
  const lastRaw = first(body, ["lastEventId", "last_event_id", "cursor"]);
  const lastEventId = idText(lastRaw) ?? (events.length > 0 ? events[events.length - 1].id : null);
  const flag = first(body, ["hasMore", "has_more"]);
  const hasMore = typeof flag === "boolean" ? flag : list.length >= limit && list.length > 0;
  return { events, invalid, lastEventId, hasMore };
}

/**
 * The local handler type a remote type maps to: an exact key first, then the first glob key
 * (`*` = any run of characters) in the mapping's order; null when nothing maps it.
 */
export function mapEventType(mapping: unknown, remoteType: string): string | null {
  if (!isRecord(mapping)) return null;
  // The remote type comes from another system: only an own key of the mapping counts.
  const exact = Object.hasOwn(mapping, remoteType) ? mapping[remoteType] : undefined;
  if (typeof exact === "string") return exact;
  for (const [glob, local] of Object.entries(mapping)) {
    if (glob.includes("*") && typeof local === "string" && globMatch(glob, remoteType)) return local;
  }
  return null;
}
