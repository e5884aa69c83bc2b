import type { EventEnvelope } from "@/lib/events/catalogue";
import { formatAlertNotification, type PushoverMessage } from "@/lib/domain/alerts/pushover";

/**
 * What a `notify` subscriber sends for an event when its config has no template: a message a
 * person reads on a phone for the event types the default notifier carries, the type and payload
 * for anything else. A template in the subscriber's config (title/message/priority) wins.
 */

type Payload = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));

const formats: Record<string, (p: Payload) => PushoverMessage> = {
  "inventory.alert": (p) => formatAlertNotification({ level: p.level === "critical" ? "critical" : "warning", message: str(p.message) }),
  "supply.low_stock": (p) => ({
    title: "PreRoll Tracker: low stock",
    message: `Low stock: ${str(p.kind)}${p.size ? ` ${str(p.size)}` : ""}: ${str(p.total_units)} units left (threshold ${str(p.threshold_boxes)} boxes)`,
    priority: 0,
  }),
  "batch.testing_overdue": (p) => ({
    title: "PreRoll Tracker: testing overdue",
    message: `${str(p.strain)}: waiting on testing for ${str(p.hours_in_stage)} h (alert after ${str(p.threshold_hours)} h)`,
    priority: 0,
  }),
  "batch.mass_balance_gap": (p) => ({
    title: "PreRoll Tracker: mass balance gap",
    message: `${str(p.strain)}: mass balance gap ${str(p.gap_grams)} g at Done (${str(p.gap_percent)} % of ${str(p.input_grams)} g input; tolerance ${str(p.tolerance_percent)} %)`,
    priority: 0,
  }),
  "backup.failed": (p) => ({ title: "PreRoll Tracker: backup FAILED", message: `The backup failed: ${str(p.error)}`, priority: 1 }),
  "subscriber.disabled": (p) => ({
    title: "PreRoll Tracker: subscriber disabled",
    message: `Event subscriber "${str(p.name)}" was disabled: ${str(p.reason)}`,
    priority: 0,
  }),
  "delivery.dead": (p) => ({
    title: "PreRoll Tracker: delivery failed",
    message: `A delivery of event ${str(p.event_id)} gave up after its last attempt (delivery ${str(p.delivery_id)}); see Event system → Queue.`,
    priority: 0,
  }),
};

export function formatEventNotification(envelope: Pick<EventEnvelope, "type" | "id" | "payload">): PushoverMessage {
  const payload = (envelope.payload && typeof envelope.payload === "object" ? envelope.payload : {}) as Payload;
  const format = Object.hasOwn(formats, envelope.type) ? formats[envelope.type] : undefined;
  if (format) return format(payload);
  return { title: `PreRoll Tracker: ${envelope.type}`, message: `${envelope.type} ${JSON.stringify(envelope.payload)}` };
}
