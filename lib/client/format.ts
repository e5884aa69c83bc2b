import type { packagingStatuses, Size, testingStatuses } from "@/lib/domain/batches/constants";

/** Display helpers shared by the floor pages. */

export const sizeLabel = (size: Size) => `${size.replace("_", ".")}g`;

export const formatCount = (n: number) => Math.round(n).toLocaleString("en-US");

export function formatRate(unitsPerHour: number | null | undefined): string {
  return unitsPerHour === null || unitsPerHour === undefined ? "—" : `${Math.round(unitsPerHour).toLocaleString("en-US")}/h`;
}

export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) return "—";
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** What operators call each testing status (the board's badges, the batch form's choices). */
export const testingStatusLabels: Record<(typeof testingStatuses)[number], string> = {
  none: "No testing required",
  sample_created: "Sample created",
  sample_sent: "Sample sent",
  results_received: "Results in",
  test_passed: "Test passed",
  test_failed: "Test failed",
};

export const packagingStatusLabels: Record<(typeof packagingStatuses)[number], string> = {
  available: "Materials available",
  waiting_materials: "Needs materials",
  waiting_containers: "Needs containers",
  blocked_other: "Packaging blocked",
};
