"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Completed deliveries per minute (10 buckets, oldest first, the last ending at `generatedAt`). */
export function ThroughputChart({ perMinute, generatedAt }: { perMinute: number[]; generatedAt: string }) {
  const end = new Date(generatedAt).getTime();
  const data = perMinute.map((count, i) => ({
    minute: new Date(end - (perMinute.length - 1 - i) * 60_000).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }),
    count,
  }));
  const total = perMinute.reduce((a, b) => a + b, 0);
  return (
    <figure>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid stroke="#404040" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="minute" stroke="#d4d4d4" tick={{ fill: "#d4d4d4", fontSize: 12 }} />
            <YAxis allowDecimals={false} stroke="#d4d4d4" tick={{ fill: "#d4d4d4", fontSize: 12 }} />
            <Tooltip contentStyle={{ background: "#171717", border: "1px solid #404040", color: "#f5f5f5" }} cursor={{ fill: "#262626" }} />
            {/* No grow-in animation: the chart refreshes every 5 s and should simply show the numbers. */}
            <Bar dataKey="count" name="Completed" fill="#4ade80" radius={[4, 4, 0, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-2 text-sm text-neutral-300">
        {total} completed in the last 10 minutes: {perMinute.join(", ")} per minute, oldest first.
      </figcaption>
    </figure>
  );
}
