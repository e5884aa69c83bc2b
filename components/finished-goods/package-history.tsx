"use client";

import { useEffect } from "react";
import { usePackageHistory } from "@/lib/client/finished-goods";
import type { PackageHistoryResponse } from "@/lib/domain/finished-goods/finished-good-response";
import { changeTypeLabel, formatGrams, formatWhen, sourceLabel } from "@/components/finished-goods/fg-format";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";

type Entry = PackageHistoryResponse["history"][number];

/** The facts of a history row worth a line: the grams moved, the order, the hold, the units … */
function entryFacts(entry: Entry): string[] {
  const d = entry.details;
  const facts: string[] = [];
  if (entry.grams_changed !== null && entry.grams_changed !== 0) {
    const sign = entry.grams_changed > 0 ? "+" : "−";
    facts.push(`${sign}${formatGrams(Math.abs(entry.grams_changed))}`);
  }
  if (typeof d.units === "number" && typeof d.unit_size === "string") facts.push(`${d.units} × ${d.unit_size}`);
  if (typeof d.order_id === "string") facts.push(`order ${d.order_id}`);
  if (entry.change_type === "override") {
    facts.push(typeof d.physical_grams_override === "number" ? `shelf count ${formatGrams(d.physical_grams_override)}` : "cleared");
  }
  if ((entry.change_type === "wholesale_hold" || entry.change_type === "wholesale_release") && typeof d.quantity === "number") {
    facts.push(`${d.quantity} × ${String(d.sku_name ?? "")}`);
  }
  if (entry.change_type === "apex_auto" && typeof d.apex_auto_inventory === "boolean") facts.push(d.apex_auto_inventory ? "on" : "off");
  if (entry.change_type === "apex_decrement" && typeof d.units === "number") facts.push(`${d.units} × ${String(d.sku ?? "")}`);
  if (Array.isArray(d.updated_fields) && d.updated_fields.length) facts.push(d.updated_fields.join(", "));
  return facts;
}

/** The package's history timeline, newest first: what changed, when, by whom, manual or API, and why. */
export function PackageHistory({ metrc }: { metrc: string }) {
  const history = usePackageHistory(metrc);
  const loaded = history.isSuccess;
  // The cards' History link lands on #history, which exists only once the package has loaded.
  useEffect(() => {
    if (loaded && window.location.hash === "#history") document.getElementById("history")?.scrollIntoView();
  }, [loaded]);
  return (
    <Card aria-labelledby="history-title" id="history" className="scroll-mt-24">
      <CardTitle>
        <span id="history-title">History</span>
      </CardTitle>
      {history.isPending ? (
        <Loading label="Loading the history">
          <div className="space-y-2">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} className="h-16" />
            ))}
          </div>
        </Loading>
      ) : history.isError ? (
        <ErrorState title="Could not load the history" error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.history.length === 0 ? (
        <EmptyState title="No changes recorded yet" />
      ) : (
        <ol className="divide-y divide-neutral-800" aria-label="Changes, newest first">
          {history.data.history.map((entry, i) => {
            const facts = entryFacts(entry);
            return (
              <li
                key={`${entry.timestamp}-${i}`}
                className="flex flex-wrap items-start justify-between gap-3 py-3"
                data-testid="history-entry"
              >
                <div className="min-w-0">
                  <p className="font-semibold text-neutral-50">
                    {changeTypeLabel(entry.change_type)}
                    {facts.length ? <span className="font-normal text-neutral-200"> · {facts.join(" · ")}</span> : null}
                  </p>
                  <p className="text-sm text-neutral-300">
                    <time dateTime={entry.timestamp}>{formatWhen(entry.timestamp)}</time>
                    {" · "}
                    {entry.actor ?? "unknown"}
                    {entry.reason ? ` · “${entry.reason}”` : ""}
                  </p>
                </div>
                <div className="flex items-center gap-2 text-sm">
                  <span className="tabular-nums text-neutral-200">{formatGrams(entry.current_grams)} after</span>
                  <Badge tone={entry.source === "api" ? "blue" : entry.source === "web" ? "neutral" : "purple"}>
                    {sourceLabel(entry.source)}
                  </Badge>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
