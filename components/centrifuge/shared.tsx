"use client";

import { forwardRef, useId, useState, type SelectHTMLAttributes } from "react";
import { Table2, LineChart as LineChartIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";

/** Display helpers and small pieces shared by the /centrifuge tabs and the trends page (desk only). */

const number1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const number2 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** g-force as the calculator shows it: one decimal, "566.9 g". */
export const formatG = (g: number) => `${number1.format(g)} g`;
/** Impulse in N·s, two decimals. */
export const formatImpulse = (ns: number) => `${number2.format(ns)} N·s`;
export const formatRpm = (rpm: number) => `${whole.format(rpm)} rpm`;
export const formatNumber = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits });
export const formatPercent = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${formatNumber(n, 1)} %`);

type Tone = "neutral" | "green" | "orange" | "red" | "blue" | "purple";

const safetyTones: Record<string, Tone> = { safe: "green", caution: "orange", danger: "red" };
const impulseTones: Record<string, Tone> = { light: "blue", moderate: "orange", optimal: "green", heavy: "red" };

/** A zone key as a coloured badge; zones an admin added get a neutral colour. */
export function ZoneBadge({ kind, zone, label }: { kind: "safety" | "impulse"; zone: string; label?: string }) {
  const tones = kind === "safety" ? safetyTones : impulseTones;
  const tone = Object.hasOwn(tones, zone) ? tones[zone] : "neutral";
  return <Badge tone={tone}>{label ?? zone.charAt(0).toUpperCase() + zone.slice(1).replaceAll("_", " ")}</Badge>;
}

export const selectClass =
  "min-h-12 w-full rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg text-neutral-50 focus:outline-3 focus:outline-sky-400";

/** A labelled native select (keyboard and screen readers for free); forwards its ref for react-hook-form. */
export const SelectField = forwardRef<
  HTMLSelectElement,
  { label: string; hint?: string; className?: string; children: React.ReactNode } & Omit<
    SelectHTMLAttributes<HTMLSelectElement>,
    "className"
  >
>(function SelectField({ label, hint, className, children, id, ...select }, ref) {
  const generated = useId();
  const selectId = id ?? generated;
  return (
    <div className={cx("flex flex-col gap-1", className)}>
      <label htmlFor={selectId} className="text-sm font-semibold text-neutral-200">
        {label}
      </label>
      <select ref={ref} id={selectId} aria-describedby={hint ? `${selectId}-hint` : undefined} className={selectClass} {...select}>
        {children}
      </select>
      {hint ? (
        <p id={`${selectId}-hint`} className="text-sm text-neutral-300">
          {hint}
        </p>
      ) : null}
    </div>
  );
});

/**
 * A chart with its text alternative: "Show as table" swaps the chart for a table of the same data
 * (screen readers, exact values, copying into a spreadsheet).
 */
export function ChartOrTable({
  title,
  chart,
  table,
  actions,
}: {
  title: string;
  chart: React.ReactNode;
  table: React.ReactNode;
  actions?: React.ReactNode;
}) {
  const [asTable, setAsTable] = useState(false);
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-base font-semibold text-neutral-100">{title}</h3>
        <div className="flex flex-wrap items-center gap-2">
          {actions}
          <Button aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
            {asTable ? <LineChartIcon aria-hidden className="size-5" /> : <Table2 aria-hidden className="size-5" />}
            {asTable ? "Show as chart" : "Show as table"}
          </Button>
        </div>
      </div>
      {asTable ? table : chart}
    </div>
  );
}

/** A compact data table for the desk (sticky header, scrolls inside its box when long). */
export function DataTable({
  caption,
  columns,
  rows,
  maxHeight = "max-h-96",
}: {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly React.ReactNode[])[];
  maxHeight?: string;
}) {
  return (
    <div className={cx("overflow-auto rounded-xl border border-neutral-800", maxHeight)} tabIndex={0} role="region" aria-label={caption}>
      <table className="w-full border-collapse whitespace-nowrap text-left text-sm tabular-nums">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 bg-neutral-900">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="border-b border-neutral-700 px-3 py-2 font-semibold text-neutral-200">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className="odd:bg-neutral-950/40">
              {row.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row" className="px-3 py-1.5 font-normal text-neutral-100">
                    {cell}
                  </th>
                ) : (
                  <td key={j} className="px-3 py-1.5 text-neutral-100">
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

/** Colours of chart series on the dark background (all ≥ 3:1 against neutral-900). */
export const SERIES_COLOURS = ["#4ade80", "#38bdf8", "#fb923c", "#c084fc", "#facc15", "#f472b6"] as const;

/** Axis and grid styling shared by the charts. */
export const chartAxis = { stroke: "#a3a3a3", tick: { fill: "#d4d4d4", fontSize: 13 } } as const;
export const chartTooltip = {
  contentStyle: { background: "#171717", border: "1px solid #404040", borderRadius: 12, color: "#f5f5f5" },
  labelStyle: { color: "#f5f5f5" },
} as const;
