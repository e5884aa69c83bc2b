import { roundGrams } from "@/lib/domain/finished-goods/constants";

/** Display helpers of the finished-goods and wholesale pages. */

/** 1234.5 → "1,234.5 g" (to the milligram at most, no trailing zeros). */
export function formatGrams(grams: number): string {
  return `${roundGrams(grams).toLocaleString("en-US", { maximumFractionDigits: 3 })} g`;
}

export const formatUnits = (n: number) => n.toLocaleString("en-US");

/** The tag's last five characters: what people read off the label. */
export const shortMetrc = (metrc: string) => `…${metrc.slice(-5)}`;

/** Units of a size for deduct/add (`unit_size` of the contract) with their labels. */
export const unitSizeOptions = [
  { value: "0.5g", label: "0.5g singles" },
  { value: "0.7g", label: "0.7g singles" },
  { value: "0.8g", label: "0.8g singles" },
  { value: "1.0g", label: "1.0g singles" },
  { value: "6pack", label: "6-packs (3 g)" },
  { value: "12pack", label: "12-packs (6 g)" },
] as const;

const changeLabels: Record<string, string> = {
  created: "Created",
  deduct: "Deducted",
  add: "Added",
  update: "Details edited",
  archive: "Archived",
  restore: "Restored",
  orphan: "Marked orphaned",
  delete: "Deleted",
  pack: "Packed",
  override: "Physical override",
  import: "Imported",
  order: "Order placed",
  set_ordered: "Ordered total set",
  set_packed: "Packed total set",
  sync: "Order tracking synced",
  complete_order: "Order completed",
  apex_auto: "Apex auto inventory",
  apex_units: "Apex units",
  apex_decrement: "Apex decrement",
  sku_settings: "Apex SKU settings",
  custom_skus: "Custom SKUs",
  sku_breakdown: "SKU breakdown",
  wholesale_hold: "Wholesale hold",
  wholesale_release: "Hold released",
};

export const changeTypeLabel = (type: string) =>
  Object.hasOwn(changeLabels, type) ? changeLabels[type] : type.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** Who made a change, as the history shows it: a person on the web, ApexAPI or another key, an import … */
export function sourceLabel(source: string | null): string {
  if (source === "web") return "Manual";
  if (source === "api") return "API";
  if (!source) return "Unknown";
  return source.charAt(0).toUpperCase() + source.slice(1);
}

export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString("en-US", { month: "short", day: "numeric", year: "numeric", hour: "2-digit", minute: "2-digit" });
}
