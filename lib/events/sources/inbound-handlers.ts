import { z } from "zod";
import type { Mutation } from "@/lib/db/mutate";
import type { EventSource, InboundEvent } from "@/lib/generated/prisma/client";
import { positiveGrams } from "@/lib/domain/finished-goods/fields";
import { metrcKey } from "@/lib/domain/finished-goods/load-finished-good";
import { orderGrams } from "@/lib/domain/finished-goods/place-order";

/**
 * Handlers for inbound events, by local type (the right-hand side of a source's `type_mapping`).
 * A handler runs inside the transaction that also marks the inbound event processed, so its
 * change and that status commit together; it throws to fail the event (the transaction rolls
 * back and the event is stored as `failed` with the message, to be reprocessed by hand).
 */

export interface InboundHandlerInput {
  m: Mutation;
  source: Pick<EventSource, "id" | "name">;
  event: Pick<InboundEvent, "id" | "source_event_id" | "type" | "payload">;
}

export type InboundHandler = (input: InboundHandlerInput) => Promise<void>;

/** A failure the handler explains itself (shown as the inbound event's `error`). */
export class InboundHandlerError extends Error {}

const metrcField = z.string().trim().min(1).max(100);
const gramsField = z.union([
  positiveGrams,
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(positiveGrams),
]);

/** The first present key of `keys` in `obj` (remote systems spell fields their own way). */
function pick(obj: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (obj[k] !== undefined && obj[k] !== null) return obj[k];
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

const METRC_KEYS = ["metrc_number", "metrcNumber", "metrc", "package_tag", "packageTag"];
const GRAMS_KEYS = ["grams", "grams_ordered", "gramsOrdered", "quantity_grams", "quantityGrams"];
const ITEM_KEYS = ["items", "lines", "line_items", "lineItems"];

export interface OrderLine {
  metrc_number: string;
  grams: number;
}

/**
 * Reads an Apex order from an inbound payload: `{metrc_number, grams}` at the top level, under
 * `order` (seed 003 nests the body under the entity's name), or as line items
 * (`items|lines: [{metrc_number, grams}]`). Lines naming one package are summed.
 */
export function parseApexOrder(payload: unknown): { order_id: string | null; lines: OrderLine[] } {
  if (!isRecord(payload)) throw new InboundHandlerError("Apex order payload is not an object");
  const body = isRecord(payload.order) ? payload.order : payload;
  const orderIdRaw = pick(body, ["order_id", "orderId", "id"]) ?? pick(payload, ["order_id", "orderId"]);
  const order_id = typeof orderIdRaw === "string" || typeof orderIdRaw === "number" ? String(orderIdRaw) : null;

  const itemsRaw = pick(body, ITEM_KEYS);
  const rawLines: unknown[] = Array.isArray(itemsRaw) ? itemsRaw : [body];
  if (rawLines.length === 0) throw new InboundHandlerError("Apex order has no line items");
  const totals = new Map<string, number>();
  rawLines.forEach((raw, i) => {
    const where = Array.isArray(itemsRaw) ? ` (line ${i + 1})` : "";
    if (!isRecord(raw)) throw new InboundHandlerError(`Apex order line is not an object${where}`);
    const metrc = metrcField.safeParse(pick(raw, METRC_KEYS));
    if (!metrc.success) throw new InboundHandlerError(`Apex order has no METRC number${where}: expected ${METRC_KEYS.join(" or ")}`);
    const grams = gramsField.safeParse(pick(raw, GRAMS_KEYS));
    if (!grams.success) throw new InboundHandlerError(`Apex order has no valid grams${where}: expected ${GRAMS_KEYS.join(" or ")} > 0`);
    const key = metrcKey(metrc.data);
    totals.set(key, (totals.get(key) ?? 0) + grams.data);
  });
  return { order_id, lines: [...totals].map(([metrc_number, grams]) => ({ metrc_number, grams })) };
}

/**
 * `apex.order`: an order placed in Apex reserves grams on its finished good — the same operation
 * as POST /api/finished-goods/{metrc}/order (history, audit, `finished_good.ordered`). All lines
 * or none: an unknown METRC number fails the whole event.
 */
const apexOrder: InboundHandler = async ({ m, source, event }) => {
  const order = parseApexOrder(event.payload);
  for (const line of order.lines) {
    const exists = await m.tx.finishedGood.findUnique({ where: { metrc_number: line.metrc_number }, select: { metrc_number: true } });
    if (!exists) throw new InboundHandlerError(`Unknown METRC number ${line.metrc_number}: no finished good has this tag`);
  }
  const reason = `Apex order ${order.order_id ?? "(no id)"} via ${source.name} event ${event.source_event_id}`;
  for (const line of order.lines) await orderGrams(m, line.metrc_number, line.grams, reason);
};

export const inboundHandlers = {
  "apex.order": apexOrder,
} satisfies Record<string, InboundHandler>;

export type InboundHandlerType = keyof typeof inboundHandlers;
export const INBOUND_HANDLER_TYPES = Object.keys(inboundHandlers) as InboundHandlerType[];

export function inboundHandler(type: string): InboundHandler | null {
  return Object.prototype.hasOwnProperty.call(inboundHandlers, type) ? inboundHandlers[type as InboundHandlerType] : null;
}
