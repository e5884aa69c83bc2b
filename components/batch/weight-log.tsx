"use client";

import { memo } from "react";
import type { Size } from "@/lib/domain/batches/constants";
import { useWeightAnalytics } from "@/lib/client/batches";
import { formatDateTime, sizeLabel } from "@/lib/client/format";
import { Card, CardTitle } from "@/components/ui/card";
import { Stat } from "@/components/ui/stat";
import { YieldValue } from "@/components/batch/yield-value";
import { cx } from "@/components/ui/cx";

const statusText = { good: "On target", warning: "Check", bad: "Off target" } as const;

/** The size's weight checks: mean unit weight vs target, running yield, the log (newest first). */
export const WeightLog = memo(function WeightLog({ batchId, size }: { batchId: string; size: Size }) {
  const analytics = useWeightAnalytics(batchId);
  const data = analytics.data?.sizes[size];
  return (
    <Card aria-labelledby="weight-log-title">
      <CardTitle>
        <span id="weight-log-title">Weight log · {sizeLabel(size)}</span>
      </CardTitle>
      {!data ? (
        <p className="text-neutral-300">{analytics.isError ? "Could not load the weight checks." : "Loading the weight checks…"}</p>
      ) : (
        <>
          <dl className="mb-3 grid grid-cols-3 gap-3">
            <Stat
              label="Mean per pre-roll"
              value={data.unit_weight.mean === null ? "—" : `${data.unit_weight.mean.toFixed(3)} g`}
              hint={`target ${data.target_weight} g + ${data.tare_weight} g cone`}
            />
            <Stat
              label="Running yield"
              value={<YieldValue value={data.running_yield} tolerancePercent={analytics.data?.tolerance_percent ?? 10} />}
            />
            <Stat
              label="Checks"
              value={data.checks_count}
              hint={data.within_tolerance_percent === null ? undefined : `${Math.round(data.within_tolerance_percent)} % on target`}
            />
          </dl>
          {data.log.length === 0 ? (
            <p className="text-neutral-300">No samples yet: use Weigh sample every few hundred pre-rolls.</p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Weight checks of {sizeLabel(size)}</caption>
              <thead className="text-neutral-300">
                <tr>
                  <th scope="col" className="py-1">
                    When
                  </th>
                  <th scope="col">At count</th>
                  <th scope="col">Sample</th>
                  <th scope="col">Mean</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {[...data.log]
                  .reverse()
                  .slice(0, 10)
                  .map((entry) => (
                    <tr key={`${entry.timestamp}-${entry.check_id ?? ""}`} className="border-t border-neutral-800">
                      <td className="py-2">{formatDateTime(entry.timestamp)}</td>
                      <td className="tabular-nums">{entry.count.toLocaleString("en-US")}</td>
                      <td className="tabular-nums">{entry.sample_weight} g</td>
                      <td className="tabular-nums">{entry.unit_weight.toFixed(3)} g</td>
                      <td
                        className={cx(
                          entry.status === "good" ? "text-green-300" : entry.status === "warning" ? "text-orange-300" : "text-red-300",
                        )}
                      >
                        {statusText[entry.status]}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Card>
  );
});
