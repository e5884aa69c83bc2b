/**
 * What an import did, table by table: rows imported, rows already imported by an earlier run,
 * rows left alone because this database has them (merge), and every row or value skipped with
 * its reason. The CLI prints it; the tests read it.
 */

export type SkipReason =
  | "constraint" // a value the legacy schema should have refused (negative count, stage 9, …)
  | "orphan" // a reference to a row that does not exist
  | "json" // unparseable JSON text
  | "timestamp" // a required timestamp that is not one
  | "duplicate" // the same row twice (legacy JSON file vs table)
  | "unused"; // a legacy setting PreRoll Tracker has no use for

export interface Skipped {
  table: string;
  id: string;
  /** Set when only this value was dropped and the row itself was imported. */
  field?: string;
  reason: SkipReason;
  detail: string;
}

export interface TableCount {
  read: number;
  imported: number;
  /** Imported by an earlier run of the import (re-runs change nothing). */
  already: number;
  /** Present in this database already under the same id (merge): left as it is. */
  kept: number;
  skipped: number;
}

export interface ImportReport {
  source: string;
  schema_version: number;
  dry_run: boolean;
  merge: boolean;
  /** Demo rows removed before importing (a fresh install's sample data). */
  demo_removed: boolean;
  /** False when nothing was new (a re-run): nothing was written. */
  changed: boolean;
  tables: Record<string, TableCount>;
  skipped: Skipped[];
  /** Credentials carried over (never their values). */
  credentials: { api_key: string; admin_password: string; recovery_key: string };
  notes: string[];
}

export function emptyCount(): TableCount {
  return { read: 0, imported: 0, already: 0, kept: 0, skipped: 0 };
}

export function totals(report: ImportReport): { imported: number; skipped: number } {
  let imported = 0;
  let skipped = 0;
  for (const c of Object.values(report.tables)) {
    imported += c.imported;
    skipped += c.skipped;
  }
  return { imported, skipped };
}

/** The report as the CLI prints it: one line per table, then every skipped row or value. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const mode = report.dry_run ? "DRY RUN — nothing was written" : report.changed ? "imported" : "nothing new, nothing written";
  lines.push(`PreRollTracker database ${report.source} (schema version ${report.schema_version}): ${mode}`);
  if (report.demo_removed) lines.push("Demo data of this fresh install was removed first.");
  lines.push("");
  lines.push(
    `${"table".padEnd(26)}${"read".padStart(8)}${"imported".padStart(10)}${"already".padStart(9)}${"kept".padStart(7)}${"skipped".padStart(9)}`,
  );
  for (const [table, c] of Object.entries(report.tables)) {
    if (c.read === 0 && c.skipped === 0) continue;
    lines.push(
      `${table.padEnd(26)}${String(c.read).padStart(8)}${String(c.imported).padStart(10)}${String(c.already).padStart(9)}${String(c.kept).padStart(7)}${String(c.skipped).padStart(9)}`,
    );
  }
  lines.push("");
  lines.push(`API key: ${report.credentials.api_key}`);
  lines.push(`Admin password: ${report.credentials.admin_password}`);
  lines.push(`Recovery key: ${report.credentials.recovery_key}`);
  for (const note of report.notes) lines.push(`Note: ${note}`);
  if (report.skipped.length > 0) {
    lines.push("");
    lines.push(`Skipped (${report.skipped.length}):`);
    for (const s of report.skipped) {
      lines.push(`  ${s.table} ${s.id}${s.field ? ` .${s.field}` : ""}: ${s.reason} — ${s.detail}`);
    }
  }
  return lines.join("\n");
}
