"use client";

import { AlertTriangle, FlaskConical, X } from "lucide-react";
import { useDismissAllPaperAlerts, useDismissPaperAlert, usePaperInventory } from "@/lib/client/inventory";
import { useCan } from "@/lib/client/current-user";
import { useSettings } from "@/lib/client/settings";
import type { Batch } from "@/lib/domain/batches/batch-response";
import { STAGE } from "@/lib/domain/batches/constants";
import type { Size } from "@/lib/domain/batches/constants";
import Link from "next/link";
import { IconButton } from "@/components/ui/icon-button";

/** Orange: papers/cones low for a size (dismissible; they come back as the dismissal rule says). */
export function PapersBanner() {
  const inventory = usePaperInventory();
  const canDismiss = useCan("operator");
  const dismiss = useDismissPaperAlert();
  const dismissAll = useDismissAllPaperAlerts();
  const alerts = (inventory.data?.alerts ?? []).filter((a) => !a.dismissed);
  if (alerts.length === 0) return null;
  return (
    <section aria-labelledby="papers-banner-title" className="rounded-2xl bg-orange-950 p-4 text-orange-50 ring-1 ring-orange-600">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="papers-banner-title" className="flex items-center gap-2 text-lg font-bold">
          <AlertTriangle aria-hidden className="size-5 text-orange-300" />
          Papers and cones running low
        </h2>
        {canDismiss && alerts.length > 1 ? (
          <button
            type="button"
            onClick={() => dismissAll.mutate()}
            disabled={dismissAll.isPending}
            className="min-h-12 rounded-xl bg-orange-800 px-4 font-semibold hover:bg-orange-700 disabled:opacity-50"
          >
            Dismiss all
          </button>
        ) : null}
      </div>
      <ul className="mt-2 space-y-2">
        {alerts.map((a) => (
          <li key={a.size} className="flex items-center justify-between gap-3">
            <span>
              <Link href="/inventory" className="font-semibold underline underline-offset-2">
                {a.size.replace("_", ".")} g papers
              </Link>
              : {a.papers_left.toLocaleString("en-US")} left ({a.boxes} boxes, below {a.threshold})
              {a.predicted_days_remaining !== null ? ` · about ${Math.round(a.predicted_days_remaining)} days` : ""}
            </span>
            {canDismiss ? (
              <IconButton
                label={`Dismiss ${a.size.replace("_", ".")} g papers alert`}
                icon={X}
                onClick={() => dismiss.mutate(a.size as Size)}
                disabled={dismiss.isPending}
                className="bg-orange-900 hover:bg-orange-800"
              />
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Red: batches waiting on testing longer than the `test_alert_hours` setting. */
export function TestingBanner({ batches, now }: { batches: Batch[]; now: number }) {
  const settings = useSettings();
  const hours = settings.data?.test_alert_hours ?? 48;
  const late = batches.filter(
    (b) => b.stage === STAGE.WAITING_ON_TESTING && now - new Date(b.stage_entered_at).getTime() > hours * 3_600_000,
  );
  if (late.length === 0) return null;
  return (
    <section aria-labelledby="testing-banner-title" className="rounded-2xl bg-red-950 p-4 text-red-50 ring-1 ring-red-600">
      <h2 id="testing-banner-title" className="flex items-center gap-2 text-lg font-bold">
        <FlaskConical aria-hidden className="size-5 text-red-300" />
        Waiting on testing for more than {hours} hours
      </h2>
      <ul className="mt-2 flex flex-wrap gap-2">
        {late.map((b) => (
          <li key={b.id}>
            <Link
              href={`/batches/${b.id}`}
              className="inline-flex min-h-12 items-center rounded-xl bg-red-900 px-3 font-semibold hover:bg-red-800"
            >
              {b.strain} · {b.days_in_stage} d
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
