"use client";

import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { sizes } from "@/lib/domain/batches/constants";
import { sizeLabel } from "@/lib/client/format";
import { shortDate, type GramsDay, type ProductionDay, type SizeFilter } from "@/components/analytics/series";
import type { PapersUsedDay, StageTime } from "@/lib/domain/analytics/analytics-response";

/**
 * The analytics charts (recharts). Loaded with next/dynamic by the analytics page only: recharts
 * never reaches the floor pages. Each chart has a table twin on the page (its text alternative).
 */

/** Size colours as operators know them: 0.5 green, 0.7 blue, 1.0 orange. */
export const SIZE_COLOURS = { "0_5": "#4ade80", "0_7": "#60a5fa", "1_0": "#fb923c" } as const;
/** Stage colours of the board badges (UI-GUIDE §1). */
const STAGE_COLOURS = ["#92400e", "#f97316", "#2563eb", "#9333ea", "#dc2626", "#22c55e", "#9a3412", "#14532d"];
const LINE_COLOURS = ["#4ade80", "#60a5fa", "#fb923c", "#c084fc", "#f472b6", "#facc15", "#2dd4bf", "#f87171"];

const AXIS = { stroke: "#737373", tick: { fill: "#d4d4d4", fontSize: 12 } };
const GRID = <CartesianGrid stroke="#404040" strokeDasharray="3 3" />;
const TOOLTIP = (
  <Tooltip
    contentStyle={{ background: "#171717", border: "1px solid #525252", borderRadius: 8, color: "#f5f5f5" }}
    labelStyle={{ color: "#f5f5f5" }}
    cursor={{ fill: "rgba(255,255,255,0.06)" }}
  />
);
const LEGEND = <Legend wrapperStyle={{ color: "#e5e5e5" }} />;
const HEIGHT = 280;

function Frame({ label, children }: { label: string; children: React.ReactElement }) {
  // The SVG is a picture of the table next to it: one name for screen readers, no per-shape noise.
  return (
    <div role="img" aria-label={label} style={{ height: HEIGHT }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}

const sizesShown = (size: SizeFilter) => (size === "all" ? sizes : [size]);

export function ProductionChart({ rows, size }: { rows: ProductionDay[]; size: SizeFilter }) {
  return (
    <Frame label="Bar chart of pre-rolls made per day by size">
      <BarChart data={rows} accessibilityLayer={false}>
        {GRID}
        <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        {TOOLTIP}
        {LEGEND}
        {sizesShown(size).map((s) => (
          <Bar key={s} dataKey={s} name={sizeLabel(s)} stackId="size" fill={SIZE_COLOURS[s]} isAnimationActive={false} />
        ))}
      </BarChart>
    </Frame>
  );
}

export function PapersChart({ rows, size }: { rows: PapersUsedDay[]; size: SizeFilter }) {
  return (
    <Frame label="Bar chart of papers and cones used per day by size">
      <BarChart data={rows} accessibilityLayer={false}>
        {GRID}
        <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS} />
        <YAxis allowDecimals={false} {...AXIS} />
        {TOOLTIP}
        {LEGEND}
        {sizesShown(size).map((s) => (
          <Bar key={s} dataKey={s} name={sizeLabel(s)} stackId="size" fill={SIZE_COLOURS[s]} isAnimationActive={false} />
        ))}
      </BarChart>
    </Frame>
  );
}

export function RateChart({ rows, strains }: { rows: Record<string, string | number>[]; strains: string[] }) {
  return (
    <Frame label="Line chart of production rate per strain over time">
      <LineChart data={rows} accessibilityLayer={false}>
        {GRID}
        <XAxis dataKey="date" tickFormatter={(d: string) => shortDate(d)} {...AXIS} />
        <YAxis unit="/h" {...AXIS} />
        {TOOLTIP}
        {LEGEND}
        {strains.map((strain, i) => (
          <Line
            key={strain}
            dataKey={strain}
            name={strain}
            stroke={LINE_COLOURS[i % LINE_COLOURS.length]}
            strokeWidth={2}
            dot={{ r: 4 }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Frame>
  );
}

export function StageChart({ rows }: { rows: StageTime[] }) {
  const data = rows.map((r) => ({ ...r, hours: r.average_hours ?? 0 }));
  return (
    <Frame label="Bar chart of average hours per stage">
      <BarChart data={data} layout="vertical" margin={{ left: 24 }} accessibilityLayer={false}>
        {GRID}
        <XAxis type="number" unit=" h" {...AXIS} />
        <YAxis type="category" dataKey="stage_name" width={130} {...AXIS} />
        {TOOLTIP}
        <Bar dataKey="hours" name="Average hours" isAnimationActive={false}>
          {data.map((r) => (
            <Cell key={r.stage} fill={STAGE_COLOURS[r.stage] ?? "#737373"} />
          ))}
        </Bar>
      </BarChart>
    </Frame>
  );
}

export function GramsChart({ rows }: { rows: GramsDay[] }) {
  return (
    <Frame label="Area chart of finished-goods grams on hand per day">
      <AreaChart data={rows} accessibilityLayer={false}>
        {GRID}
        <XAxis dataKey="date" tickFormatter={shortDate} {...AXIS} />
        <YAxis unit=" g" {...AXIS} />
        {TOOLTIP}
        <Area dataKey="grams" name="Grams on hand" stroke="#4ade80" fill="#166534" fillOpacity={0.6} isAnimationActive={false} />
      </AreaChart>
    </Frame>
  );
}
