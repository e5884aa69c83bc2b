import type { ActorContext } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { readSettings, type Settings } from "@/lib/domain/settings/settings";
import { strainKey } from "@/lib/domain/strains/strain-key";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { isCritical, isLow, totalUnits } from "@/lib/domain/supplies/stock-math";
import { dismissedFlags, paperRows, alertMessage } from "@/lib/domain/supplies/paper-inventory";
import { mutateIfChanged } from "@/lib/db/mutate-if-changed";
import { pushoverCredentials } from "@/lib/domain/alerts/pushover";
import { ensureDefaultNotifySubscriber } from "@/lib/events/subscribers/default-notify";
import { deliverEventsNow } from "@/lib/events/delivery/deliver-now";

/**
 * The stock-alert check (`POST /api/pushover/check-alerts`; the worker's `stock-alerts` job, hourly
 * and shortly after inventory changes):
 *
 * - Finished goods, per strain (names matched with strainKey): the effective grams
 *   (physical_grams_override, else current_grams) of the strain's *active* packages, summed.
 *   Below `critical_grams` → critical; else below `warning_grams` → warning.
 * - Supplies (papers per size and the others): below `low_threshold_boxes` full boxes → warning;
 *   less than one full box left → critical. A dismissed alert (dismissal.ts) is not sent.
 * - Cooldown, per subject: an alert is *suppressed* when the same subject was alerted at the same
 *   or a higher level within the last `cooldown_hours`; escalation (warning → critical) is sent.
 *   The cooldown state is the `inventory.alert` events themselves (durable, shared by every
 *   process): each alert that is not suppressed is emitted as one `inventory.alert` event, in one
 *   transaction that also reads the recent ones, so concurrent checks cannot both send.
 * - Delivery: only through the event system. Each `inventory.alert` event goes to the `notify`
 *   subscribers (the default one is made sure of here, lib/events/subscribers/default-notify.ts),
 *   whose durable deliveries send Pushover with retries — one send per alert, whoever triggers it.
 *   `deliver: "now"` (the HTTP route) runs those deliveries before answering, so `delivered` and
 *   `errors` report the push; `"queue"` (the worker job) leaves them to the delivery loop. A
 *   failed push is reported in `errors` and retried; the alert still counts as raised.
 */

export type AlertLevel = "warning" | "critical";
const RANK: Record<AlertLevel, number> = { warning: 1, critical: 2 };

export interface StockAlert {
  level: AlertLevel;
  kind: "finished_good" | "supply";
  /** The strain (finished goods), or `kind:size` / `kind` (supplies). */
  subject: string;
  message: string;
  /** Finished goods: effective grams left across the strain's active packages. */
  grams?: number;
  packages?: number;
  /** Supplies: units left and the threshold in boxes. */
  units?: number;
  threshold: number;
  supply_id?: string | null;
}

export interface CheckedAlert extends StockAlert {
  status: "sent" | "suppressed";
}

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

/** Every current low-stock condition (no cooldown applied). */
export async function collectStockAlerts(
  tx: Pick<Tx, "finishedGood" | "supply" | "event">,
  pushover: Settings["pushover"],
): Promise<StockAlert[]> {
  const alerts: StockAlert[] = [];

  const packages = await tx.finishedGood.findMany({
    where: { status: "active" },
    select: { strain: true, current_grams: true, physical_grams_override: true },
    orderBy: { created_date: "asc" },
  });
  const strains = new Map<string, { name: string; grams: number; packages: number }>();
  for (const p of packages) {
    const key = strainKey(p.strain);
    const entry = strains.get(key) ?? { name: p.strain.trim(), grams: 0, packages: 0 };
    entry.grams += p.physical_grams_override ?? p.current_grams;
    entry.packages += 1;
    strains.set(key, entry);
  }
  for (const { name, grams: raw, packages: n } of strains.values()) {
    const grams = roundGrams(Math.max(0, raw));
    const level: AlertLevel | null = grams < pushover.critical_grams ? "critical" : grams < pushover.warning_grams ? "warning" : null;
    if (!level) continue;
    const threshold = level === "critical" ? pushover.critical_grams : pushover.warning_grams;
    alerts.push({
      level,
      kind: "finished_good",
      subject: name,
      message: `${name}: ${fmt(grams)} g left across ${n} active package${n === 1 ? "" : "s"} (${level} below ${fmt(threshold)} g)`,
      grams,
      packages: n,
      threshold,
    });
  }

  const stored = await tx.supply.findMany({ where: { NOT: { kind: "paper" } }, orderBy: [{ kind: "asc" }, { size: "asc" }] });
  const supplies = [...Object.values(await paperRows(tx)), ...stored];
  const dismissed = await dismissedFlags(tx, supplies);
  for (const s of supplies) {
    if (!isLow(s) || dismissed.get(s.id)) continue;
    alerts.push({
      level: isCritical(s) ? "critical" : "warning",
      kind: "supply",
      subject: s.size ? `${s.kind}:${s.size}` : s.kind,
      message: alertMessage(s),
      units: totalUnits(s),
      threshold: s.low_threshold_boxes,
      supply_id: s.id || null,
    });
  }
  return alerts;
}

function subjectKey(kind: string, subject: string): string {
  return `${kind}|${kind === "finished_good" ? strainKey(subject) : subject}`;
}

/** Pure: which alerts the cooldown lets through, given the alerts sent within the window. */
export function applyCooldown<T extends Pick<StockAlert, "kind" | "subject" | "level">>(
  alerts: T[],
  recent: Pick<StockAlert, "kind" | "subject" | "level">[],
): (T & { status: "sent" | "suppressed" })[] {
  const highest = new Map<string, number>();
  for (const r of recent) {
    const key = subjectKey(r.kind, r.subject);
    highest.set(key, Math.max(highest.get(key) ?? 0, RANK[r.level]));
  }
  return alerts.map((a) => {
    const key = subjectKey(a.kind, a.subject);
    const suppressed = (highest.get(key) ?? 0) >= RANK[a.level];
    if (!suppressed) highest.set(key, RANK[a.level]);
    return { ...a, status: suppressed ? "suppressed" : "sent" };
  });
}

export interface CheckAlertsResult {
  alerts: CheckedAlert[];
  sent: number;
  suppressed: number;
  delivered: number;
  /** Alerts whose push is left to the delivery loop (the worker job, or a push still being retried). */
  queued: number;
  delivery: "pushover" | "disabled" | "not_configured";
  errors: string[];
  cooldown_hours: number;
  checked_at: string;
}

export async function checkStockAlerts(
  ctx: ActorContext,
  now = new Date(),
  options: { deliver?: "now" | "queue" } = {},
): Promise<CheckAlertsResult> {
  // Before the alerts are written: the relay hands an event only to subscribers that exist then.
  await ensureDefaultNotifySubscriber(ctx);
  const read: { pushover?: Settings["pushover"] } = {};
  const emitted: { eventId: number; subject: string }[] = [];
  const alerts = await mutateIfChanged<CheckedAlert[]>(ctx, async (m, unchanged) => {
    const pushover = (read.pushover = (await readSettings(m.tx)).pushover);
    const current = await collectStockAlerts(m.tx, pushover);
    const since = new Date(now.getTime() - pushover.cooldown_hours * 3_600_000);
    const recentRows = await m.tx.event.findMany({
      where: { type: "inventory.alert", created_at: { gte: since } },
      select: { payload: true },
    });
    const recent = recentRows.map((r) => r.payload as Pick<StockAlert, "kind" | "subject" | "level">);
    const checked = applyCooldown(current, recent);
    const toSend = checked.filter((a) => a.status === "sent");
    if (toSend.length === 0) unchanged(checked);
    for (const a of toSend) {
      const event = await m.emit("inventory.alert", {
        level: a.level,
        kind: a.kind,
        subject: a.subject,
        message: a.message,
        ...(a.grams !== undefined ? { grams: a.grams } : {}),
      });
      emitted.push({ eventId: event.id, subject: a.subject });
    }
    return checked;
  });
  const pushover = read.pushover!;
  const delivery = !pushover.enabled ? "disabled" : pushoverCredentials(pushover) ? "pushover" : "not_configured";
  const result: CheckAlertsResult = {
    alerts,
    sent: alerts.filter((a) => a.status === "sent").length,
    suppressed: alerts.filter((a) => a.status === "suppressed").length,
    delivered: 0,
    queued: 0,
    delivery,
    errors: [],
    cooldown_hours: pushover.cooldown_hours,
    checked_at: now.toISOString(),
  };
  if (delivery !== "pushover" || emitted.length === 0) return result;
  if (options.deliver === "queue") {
    result.queued = emitted.length;
    return result;
  }
  const outcomes = await deliverEventsNow(
    emitted.map((e) => e.eventId),
    { workerId: `check-alerts:${process.pid}:${ctx.traceId}`, kinds: ["notify"] },
  );
  for (const { eventId, subject } of emitted) {
    const o = outcomes.get(eventId)!;
    if (o.deliveries === 0 && o.relayed) result.errors.push(`${subject}: no active notify subscriber receives inventory.alert`);
    else if (o.delivered) result.delivered += 1;
    else {
      result.queued += 1;
      if (o.error) result.errors.push(`${subject}: ${o.error}`);
    }
  }
  return result;
}
