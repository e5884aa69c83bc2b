/** Dates in the admin tables: local, short, "—" for never. */
export function formatDateTime(iso: string | null | undefined, never = "—"): string {
  if (!iso) return never;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export const selectClass = "min-h-11 rounded-lg bg-neutral-800 px-2";
export const buttonClass = "min-h-11 rounded-lg px-4 font-semibold disabled:opacity-40";
export const primaryButton = `${buttonClass} bg-green-700 hover:bg-green-800`;
export const secondaryButton = `${buttonClass} bg-neutral-700 hover:bg-neutral-600`;
export const dangerButton = `${buttonClass} bg-red-800 hover:bg-red-700`;

/** A file size for people: "1.4 MB" (10^3 steps, as the backup status's MB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** "5 s", "3 min", "2 h" ago or ahead, for ages and lags. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(s * 10) / 10} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round((s / 3600) * 10) / 10} h`;
  return `${Math.round((s / 86_400) * 10) / 10} d`;
}
