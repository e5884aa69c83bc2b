import { db, type Tx } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import type { Supply } from "@/lib/generated/prisma/client";
import { getSettings } from "@/lib/domain/settings/settings";
import { dateKey, zoneFor } from "@/lib/domain/batches/rate/working-clock";
import { dismissalHolds, unitsAtDismissal } from "@/lib/domain/supplies/dismissal";
import { isCritical, isLow, totalUnits } from "@/lib/domain/supplies/stock-math";
import { PAPER_DEFAULTS, PAPER_KIND, paperSizes, sizeLabel, type PaperSize } from "@/lib/domain/supplies/paper-sizes";
import { analyticsFor, loadUsageWindow, USAGE_WINDOW_DAYS, type UsageAnalytics } from "@/lib/domain/supplies/usage-analytics";

/**
 * `GET /api/inventory/` (contract): papers/cones per size, their low-stock alerts and the usage
 * analytics. Sizes without a row read as the contract defaults with an empty shelf (nothing is
 * written by a read; the first update/settings/dismiss creates the row).
 */

type PerSize<T> = Record<PaperSize, T>;

export interface PaperAlert {
  size: PaperSize;
  papers_left: number;
  boxes: number;
  individual_papers: number;
  threshold: number;
  papers_per_box: number;
  level: "warning" | "critical";
  message: string;
  dismissed: boolean;
  dismissed_at: string | null;
  predicted_days_remaining: number | null;
}

export interface PaperInventoryView {
  inventory: {
    current_boxes: PerSize<number>;
    papers_per_box: PerSize<number>;
    alert_thresholds: PerSize<number>;
    individual_papers: PerSize<number>;
    last_updated: PerSize<string | null>;
  };
  current_papers: PerSize<number>;
  alerts: PaperAlert[];
  analytics: {
    predicted_days_remaining: PerSize<number | null>;
    average_daily_usage: PerSize<number | null>;
    usage_window_days: number;
    production_days: number;
  };
}

/** A paper row per size: the stored one, or the defaults with an empty shelf (id ""). */
export async function paperRows(tx: Pick<Tx, "supply">): Promise<PerSize<Supply>> {
  const rows = await tx.supply.findMany({ where: { kind: PAPER_KIND, size: { in: [...paperSizes] } } });
  const out = {} as PerSize<Supply>;
  for (const size of paperSizes) {
    out[size] = rows.find((r) => r.size === size) ?? {
      id: "",
      kind: PAPER_KIND,
      size,
      ...PAPER_DEFAULTS[size],
      boxes: 0,
      individual_units: 0,
      alert_dismissed_at: null,
      last_updated: new Date(0),
    };
  }
  return out;
}

export function alertMessage(
  s: Pick<Supply, "kind" | "size" | "name" | "unit" | "boxes" | "individual_units" | "units_per_box" | "low_threshold_boxes">,
): string {
  const left = totalUnits(s);
  const what = s.kind === PAPER_KIND ? `${sizeLabel(s.size)} papers` : s.name;
  const unit = s.kind === PAPER_KIND ? "papers" : s.unit;
  return `Low stock: ${what}: ${left.toLocaleString("en-US")} ${unit} left (${s.boxes} ${s.boxes === 1 ? "box" : "boxes"}), below the ${s.low_threshold_boxes}-box threshold`;
}

/** Whether each row's alert is currently dismissed (per the rules in dismissal.ts). */
export async function dismissedFlags(tx: Pick<Tx, "event">, rows: Supply[]): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  for (const s of rows) {
    if (!s.id || !s.alert_dismissed_at) continue;
    out.set(s.id, dismissalHolds(s, await unitsAtDismissal(tx, s)));
  }
  return out;
}

export async function loadPaperInventory(now = new Date()): Promise<PaperInventoryView> {
  const { work_schedule } = await getSettings();
  const zone = zoneFor(work_schedule);
  return memoByDataVersion(`paper-inventory:${dateKey(zone.civil(now))}`, async () => {
    const rows = await paperRows(db);
    const window = await loadUsageWindow(db, now, zone);
    const dismissed = await dismissedFlags(db, Object.values(rows));
    const view: PaperInventoryView = {
      inventory: {
        current_boxes: {} as PerSize<number>,
        papers_per_box: {} as PerSize<number>,
        alert_thresholds: {} as PerSize<number>,
        individual_papers: {} as PerSize<number>,
        last_updated: {} as PerSize<string | null>,
      },
      current_papers: {} as PerSize<number>,
      alerts: [],
      analytics: {
        predicted_days_remaining: {} as PerSize<number | null>,
        average_daily_usage: {} as PerSize<number | null>,
        usage_window_days: USAGE_WINDOW_DAYS,
        production_days: window.production_days,
      },
    };
    for (const size of paperSizes) {
      const s = rows[size];
      const a: UsageAnalytics = analyticsFor(s, window);
      view.inventory.current_boxes[size] = s.boxes;
      view.inventory.papers_per_box[size] = s.units_per_box;
      view.inventory.alert_thresholds[size] = s.low_threshold_boxes;
      view.inventory.individual_papers[size] = s.individual_units;
      view.inventory.last_updated[size] = s.id ? s.last_updated.toISOString() : null;
      view.current_papers[size] = totalUnits(s);
      view.analytics.predicted_days_remaining[size] = a.predicted_days_remaining;
      view.analytics.average_daily_usage[size] = a.average_daily_usage;
      if (isLow(s)) {
        const isDismissed = dismissed.get(s.id) ?? false;
        view.alerts.push({
          size,
          papers_left: totalUnits(s),
          boxes: s.boxes,
          individual_papers: s.individual_units,
          threshold: s.low_threshold_boxes,
          papers_per_box: s.units_per_box,
          level: isCritical(s) ? "critical" : "warning",
          message: alertMessage(s),
          dismissed: isDismissed,
          dismissed_at: isDismissed && s.alert_dismissed_at ? s.alert_dismissed_at.toISOString() : null,
          predicted_days_remaining: a.predicted_days_remaining,
        });
      }
    }
    return view;
  });
}
