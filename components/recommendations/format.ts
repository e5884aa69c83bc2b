import type { Recommendation } from "@/lib/domain/recommendations/recommendation-response";

/** Display helpers of the sales recommendations page. */

/** "20261207_124455" → "Dec 7, 2026 12:44:55" (the snapshot key is the server's local time). */
export function snapshotLabel(timestamp: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})$/.exec(timestamp);
  if (!m) return timestamp;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d)).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    year: "numeric",
  });
  return `${date} ${h}:${mi}:${s}`;
}

export const urgencyTone = { critical: "red", high: "orange", medium: "blue", low: "neutral" } as const;
/** critical first. */
export const urgencyRank: Record<Recommendation["urgency"], number> = { critical: 0, high: 1, medium: 2, low: 3 };

export const formatNumber = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined ? "—" : n.toLocaleString("en-US", { maximumFractionDigits: digits });

export const formatDelta = (n: number | null | undefined) =>
  n === null || n === undefined
    ? "—"
    : n === 0
      ? "0"
      : `${n > 0 ? "+" : "−"}${Math.abs(n).toLocaleString("en-US", { maximumFractionDigits: 2 })}`;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
