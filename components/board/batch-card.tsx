"use client";

import Link from "next/link";
import { ChevronDown, ChevronUp, GripVertical } from "lucide-react";
import type { Batch } from "@/lib/domain/batches/batch-response";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { formatCount, formatHours, formatRate, packagingStatusLabels, sizeLabel, testingStatusLabels } from "@/lib/client/format";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { cx } from "@/components/ui/cx";
import { IconButton } from "@/components/ui/icon-button";

export interface CardReorder {
  canUp: boolean;
  canDown: boolean;
  onUp: () => void;
  onDown: () => void;
  dragging: boolean;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDrop: () => void;
}

/** Working hours to finish the plan at the current rate; null without a rate or a plan. */
export function etaHours(b: Batch): number | null {
  const planned = b.planned_0_5 + b.planned_0_7 + b.planned_1_0;
  const remaining = planned - b.total_count;
  if (planned === 0 || remaining <= 0 || !b.cached_production_rate) return null;
  return remaining / b.cached_production_rate;
}

/**
 * A board card: the whole card is tappable (the strain link stretches over it) and the link's
 * name is the strain. Operators get up/down buttons (touch) and can drag (desktop).
 */
export function BatchCard({ batch: b, reorder, now }: { batch: Batch; reorder: CardReorder | null; now: number }) {
  const shown = sizes.filter((s) => b[`planned_${s}`] > 0 || b[`counts_${s}`] > 0);
  const eta = etaHours(b);
  const days = Math.max(0, Math.floor((now - new Date(b.stage_entered_at).getTime()) / 86_400_000));
  return (
    <li
      data-testid="batch-card"
      data-batch-id={b.id}
      draggable={reorder ? true : undefined}
      onDragStart={
        reorder
          ? (e) => {
              e.dataTransfer.effectAllowed = "move";
              e.dataTransfer.setData("text/plain", b.id);
              reorder.onDragStart();
            }
          : undefined
      }
      onDragEnd={reorder?.onDragEnd}
      onDragOver={reorder ? (e) => e.preventDefault() : undefined}
      onDrop={
        reorder
          ? (e) => {
              e.preventDefault();
              reorder.onDrop();
            }
          : undefined
      }
      className={cx(
        "relative rounded-xl bg-neutral-800 p-3 ring-1 ring-neutral-700 transition-shadow focus-within:ring-2 focus-within:ring-sky-400 hover:ring-neutral-500",
        reorder?.dragging && "opacity-50",
      )}
    >
      <div className="flex items-start justify-between gap-2">
        <Link
          href={`/batches/${b.id}`}
          className="text-lg font-bold leading-tight text-green-300 after:absolute after:inset-0 after:rounded-xl after:content-[''] focus:outline-none"
        >
          {b.strain}
        </Link>
        <span className="shrink-0 text-sm text-neutral-300">{days} d in stage</span>
      </div>
      {b.testing_status !== "none" || b.packaging_status !== "available" || b.is_infused ? (
        <div className="mt-2 flex flex-wrap gap-1">
          {b.testing_status !== "none" ? (
            <Badge tone={b.testing_status === "test_failed" ? "red" : b.testing_status === "test_passed" ? "green" : "blue"}>
              {testingStatusLabels[b.testing_status]}
            </Badge>
          ) : null}
          {b.packaging_status !== "available" ? <Badge tone="orange">{packagingStatusLabels[b.packaging_status]}</Badge> : null}
          {b.is_infused ? <Badge tone="purple">Infused</Badge> : null}
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul className="mt-3 space-y-2" aria-label="Counts against plan">
          {shown.map((s: Size) => (
            <li key={s}>
              <div className="flex justify-between text-sm">
                <span className="font-semibold">{sizeLabel(s)}</span>
                <span className="tabular-nums">
                  {formatCount(b[`counts_${s}`])} / {formatCount(b[`planned_${s}`])}
                </span>
              </div>
              <ProgressBar
                value={b[`counts_${s}`]}
                max={b[`planned_${s}`]}
                label={`${b.strain} ${sizeLabel(s)} progress`}
                className="mt-1 h-2"
              />
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-3 text-sm text-neutral-300">{b.input_grams.toLocaleString("en-US")} g input · nothing planned yet</p>
      )}
      <p className="mt-2 text-sm text-neutral-300">
        Rate {formatRate(b.cached_production_rate)}
        {eta !== null ? ` · ETA ${formatHours(eta)} of work` : ""}
      </p>
      {reorder ? (
        <div className="relative z-10 mt-2 flex items-center justify-end gap-1">
          <GripVertical aria-hidden className="mr-auto hidden size-5 cursor-grab text-neutral-400 [@media(pointer:fine)]:block" />
          <IconButton
            label={`Move ${b.strain} up`}
            icon={ChevronUp}
            disabled={!reorder.canUp}
            onClick={reorder.onUp}
            className="bg-neutral-900"
          />
          <IconButton
            label={`Move ${b.strain} down`}
            icon={ChevronDown}
            disabled={!reorder.canDown}
            onClick={reorder.onDown}
            className="bg-neutral-900"
          />
        </div>
      ) : null}
    </li>
  );
}
