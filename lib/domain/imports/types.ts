import type { Mutation } from "@/lib/db/mutate";

/** What an inbox CSV can be imported into; `auto` (a subscriber's default) tells by the headers. */
export const IMPORT_TARGETS = ["sales", "papers", "finished_goods"] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
export type ImportTargetSetting = ImportTarget | "auto";

export const TARGET_LABELS: Record<ImportTarget, string> = {
  sales: "store sales",
  papers: "papers/cones inventory",
  finished_goods: "finished goods",
};

export interface ImportSummary {
  /** Data rows read. */
  rows: number;
  created: number;
  updated: number;
  /** Rows that changed nothing (already as stored, or deliberately left alone: see warnings). */
  skipped: number;
  warnings: string[];
  snapshot_timestamp?: string;
}

/** A file parsed and checked, ready to apply inside the import's one transaction. */
export interface PreparedImport {
  target: ImportTarget;
  rows: number;
  apply(m: Mutation): Promise<ImportSummary>;
}
