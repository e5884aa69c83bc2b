/** Dates in the admin tables: local, short, "—" for never. */
export function formatDateTime(iso: string | null | undefined, never = "—"): string {
  if (!iso) return never;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export const selectClass = "min-h-11 rounded-lg bg-neutral-800 px-2";
export const buttonClass = "min-h-11 rounded-lg px-4 font-semibold disabled:opacity-40";
export const primaryButton = `${buttonClass} bg-green-700 hover:bg-green-600`;
export const secondaryButton = `${buttonClass} bg-neutral-700 hover:bg-neutral-600`;
export const dangerButton = `${buttonClass} bg-red-800 hover:bg-red-700`;
