"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/states";

/**
 * A chart with its text alternative: "Show as table" swaps the picture for a real table of the
 * same numbers (and back). The card is a region named by its title.
 */
export function ChartCard({
  title,
  description,
  chart,
  table,
  empty,
  className,
}: {
  title: string;
  description?: React.ReactNode;
  chart: React.ReactNode;
  table: React.ReactNode;
  /** Shown instead of both when there is nothing to draw. */
  empty?: React.ReactNode;
  className?: string;
}) {
  const titleId = useId();
  const [asTable, setAsTable] = useState(false);
  return (
    <Card aria-labelledby={titleId} className={className}>
      <div className="mb-3 flex items-start justify-between gap-3">
        <div>
          <h2 id={titleId} className="text-lg font-semibold text-neutral-50">
            {title}
          </h2>
          {description ? <p className="text-sm text-neutral-300">{description}</p> : null}
        </div>
        {empty ? null : (
          <Button variant="secondary" aria-pressed={asTable} onClick={() => setAsTable((v) => !v)} className="min-h-10 shrink-0 text-sm">
            {asTable ? "Show as chart" : "Show as table"}
          </Button>
        )}
      </div>
      {empty ?? (asTable ? table : chart)}
    </Card>
  );
}

export function ChartSkeleton() {
  return <Skeleton className="h-[280px]" />;
}

/** A scrollable data table (keyboard-scrollable: focusable region). */
export function DataTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: { key: string; label: string; numeric?: boolean }[];
  rows: { key: string; cells: React.ReactNode[] }[];
}) {
  return (
    <div tabIndex={0} role="region" aria-label={caption} className="max-h-[280px] overflow-auto rounded-xl border border-neutral-800">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-neutral-900">
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={`px-3 py-2 font-semibold text-neutral-200 ${c.numeric ? "text-right" : "text-left"}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className="border-t border-neutral-800">
              {r.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="px-3 py-1.5 text-left font-normal text-neutral-100">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className={`px-3 py-1.5 tabular-nums text-neutral-100 ${columns[i]?.numeric ? "text-right" : ""}`}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
