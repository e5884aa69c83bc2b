import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { sizes, STAGE } from "@/lib/domain/batches/constants";
import { strainKey } from "@/lib/domain/strains/strain-key";
import type { RateProjectionResponse } from "@/lib/domain/batches/batch-response";

/**
 * `GET /api/strain/{strain}/rate-projection`: the rate to expect from a new batch of a strain,
 * from its completed/past batches (stage ≥ Finished, or archived).
 *
 * - Strain matching ignores case, surrounding and repeated whitespace and Unicode width forms
 *   (`strainKey`): "blue  dream " finds "Blue Dream" — the strain-spelling mismatch is a
 *   known pain point. The spellings that matched are listed in `matched_strains`.
 * - A batch's rate is its cached production rate (working-time regression, see
 *   rate/production-rate.ts); batches without one (imported from the legacy system) fall back to
 *   the legacy formula total units ÷ total work hours when both are > 0. Batches without a
 *   positive rate are left out.
 * - projected_rate: mean of the newest PROJECTION_SAMPLE rates (newest = latest production end,
 *   else archive time, else last update), 2 decimals.
 * - confidence (0–1, 2 decimals): min(1, n ÷ CONFIDENT_SAMPLE) × max(0, 1 − cv), cv being the
 *   coefficient of variation (population standard deviation ÷ mean) of those rates — more and
 *   more consistent batches mean more confidence.
 * - sample_size: n; historical_rates: `{batch_id, strain, rate, total_count, work_hours,
 *   completed_at}`, newest first.
 */

export const PROJECTION_SAMPLE = 10;
export const CONFIDENT_SAMPLE = 5;

export interface HistoricalRate {
  batch_id: string;
  strain: string;
  rate: number;
  total_count: number;
  work_hours: number;
  completed_at: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Mean, confidence of a list of rates (pure). */
export function projectRates(rates: readonly number[]): { projected_rate: number | null; confidence: number } {
  const n = rates.length;
  if (n === 0) return { projected_rate: null, confidence: 0 };
  const mean = rates.reduce((s, r) => s + r, 0) / n;
  const sd = Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / n);
  const cv = mean > 0 ? sd / mean : 1;
  return { projected_rate: round2(mean), confidence: round2(Math.min(1, n / CONFIDENT_SAMPLE) * Math.max(0, 1 - cv)) };
}

function pastBatches() {
  return memoByDataVersion("rate-projection:past-batches", () =>
    db.batch.findMany({
      where: { OR: [{ stage: { gte: STAGE.FINISHED } }, { archived: true }] },
      select: {
        id: true,
        strain: true,
        cached_production_rate: true,
        total_work_hours: true,
        counts_0_5: true,
        counts_0_7: true,
        counts_1_0: true,
        production_end_time: true,
        archived_at: true,
        updated_at: true,
      },
    }),
  );
}

/** Path parameters may arrive still percent-encoded; decode once when that is valid. */
function decodeParam(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export async function strainRateProjection(strainParam: string): Promise<RateProjectionResponse> {
  const strainName = decodeParam(strainParam).trim();
  const wanted = strainKey(strainName);
  const rows = (await pastBatches()).filter((b) => strainKey(b.strain) === wanted);
  const historical: HistoricalRate[] = [];
  for (const b of rows) {
    const total = sizes.reduce((s, k) => s + b[`counts_${k}`], 0);
    const rate = b.cached_production_rate ?? (b.total_work_hours > 0 && total > 0 ? total / b.total_work_hours : null);
    if (rate === null || !(rate > 0)) continue;
    historical.push({
      batch_id: b.id,
      strain: b.strain,
      rate: round2(rate),
      total_count: total,
      work_hours: b.total_work_hours,
      completed_at: (b.production_end_time ?? b.archived_at ?? b.updated_at).toISOString(),
    });
  }
  historical.sort((a, b) => b.completed_at.localeCompare(a.completed_at));
  const sample = historical.slice(0, PROJECTION_SAMPLE);
  if (sample.length === 0) {
    return {
      strain_name: strainName,
      has_data: false as const,
      message: `No completed batches of ${strainName || "this strain"} with production rate data yet`,
    };
  }
  const { projected_rate, confidence } = projectRates(sample.map((h) => h.rate));
  return {
    strain_name: strainName,
    has_data: true as const,
    projected_rate,
    confidence,
    sample_size: sample.length,
    historical_rates: sample,
    matched_strains: [...new Set(rows.map((r) => r.strain))].sort(),
  };
}
