import { auditValue } from "@/lib/db/audit";
import type { Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { isExpectedError } from "@/lib/http/errors";
import { metrcNumber } from "@/lib/domain/batches/batch-schema";
import { roundGrams } from "@/lib/domain/finished-goods/constants";
import { insertFinishedGood } from "@/lib/domain/finished-goods/create-finished-good";
import { applyFinishedGoodUpdate } from "@/lib/domain/finished-goods/update-finished-good";
import { giveGrams, takeGrams } from "@/lib/domain/finished-goods/move-grams";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";
import { parseNumber } from "@/lib/domain/recommendations/sales-csv";
import { ImportError, readImportRows, type CsvTable } from "@/lib/domain/imports/csv-table";
import type { PreparedImport } from "@/lib/domain/imports/types";

/**
 * Finished goods (METRC packages), created or updated by METRC number — the fields of
 * `POST /api/finished-goods/` and `PUT /api/finished-goods/{metrc}`:
 *
 * | field                     | accepted headers |
 * |---------------------------|------------------|
 * | metrc_number (required)   | metrc, metrc_number, metrc_tag, metrc_id, metrc_package, package, package_tag, package_id, package_label, package_number, tag |
 * | grams (required column)   | grams, current_grams, grams_on_hand, weight, weight_g, weight_grams, net_weight, quantity, qty |
 * | strain                    | strain, strain_name, product, product_name, item, item_name |
 * | unit (optional check)     | unit, uom, unit_of_measure — must be grams (g, gram, grams) when given |
 * | notes                     | notes, note, comment, comments |
 * | source_batch_id           | source_batch_id, source_batch, batch_id, batch |
 *
 * A new tag needs a strain and grams above 0 (the create route's rules) and gets its "created"
 * history. A known tag: non-empty strain / notes / source batch that differ are the PUT's edit;
 * grams are the counted grams on hand, and a difference moves current grams by it (the same
 * atomic add/take as the API, history row `import`, event `finished_good.added` / `.deducted`).
 * Empty cells keep what is stored. Archived packages are left alone (skipped, with a warning):
 * restoring one is a person's decision.
 */

export const FINISHED_GOOD_COLUMNS = {
  metrc_number: [
    "metrc",
    "metrc_number",
    "metrc_tag",
    "metrc_id",
    "metrc_package",
    "package",
    "package_tag",
    "package_id",
    "package_label",
    "package_number",
    "tag",
  ],
  grams: ["grams", "current_grams", "grams_on_hand", "weight", "weight_g", "weight_grams", "net_weight", "quantity", "qty"],
  strain: ["strain", "strain_name", "product", "product_name", "item", "item_name"],
  unit: ["unit", "uom", "unit_of_measure"],
  notes: ["notes", "note", "comment", "comments"],
  source_batch_id: ["source_batch_id", "source_batch", "batch_id", "batch"],
} as const;
type FinishedGoodField = keyof typeof FINISHED_GOOD_COLUMNS;

const MAX_GRAMS = 10_000_000;
const GRAM_UNITS = new Set(["g", "gr", "gram", "grams"]);

export function fitsFinishedGoods(keys: Set<string>): boolean {
  const has = (field: FinishedGoodField) => FINISHED_GOOD_COLUMNS[field].some((a) => keys.has(a));
  return has("metrc_number") && has("grams");
}

interface PackageRow {
  row: number;
  metrc_number: string;
  grams?: number;
  strain?: string;
  notes?: string;
  source_batch_id?: string;
}

export function prepareFinishedGoodsImport(table: CsvTable, file: string): PreparedImport {
  const seen = new Map<string, number>();
  const headerProblems = (has: (f: FinishedGoodField) => boolean) => [
    ...(has("metrc_number") ? [] : [`Missing a METRC column (one of: ${FINISHED_GOOD_COLUMNS.metrc_number.join(", ")})`]),
    ...(has("grams") ? [] : [`Missing a grams column (one of: ${FINISHED_GOOD_COLUMNS.grams.join(", ")})`]),
  ];
  const rows = readImportRows(table, FINISHED_GOOD_COLUMNS, headerProblems, ({ row, cell: rawCell, fail }): PackageRow => {
    const cell = (f: FinishedGoodField) => rawCell(f) || undefined;

    const rawTag = cell("metrc_number");
    const tag = rawTag === undefined ? undefined : metrcNumber.safeParse(rawTag);
    if (!tag) fail("Missing METRC number");
    else if (!tag.success) fail(`METRC number "${rawTag}" is not 24 letters or digits`);
    else if (seen.has(tag.data)) fail(`${tag.data} is already on row ${seen.get(tag.data)}`);
    else seen.set(tag.data, row);

    const rawGrams = cell("grams");
    const grams = parseNumber(rawGrams);
    if (grams !== null) {
      if (!Number.isFinite(grams)) fail(`Grams "${rawGrams}" is not a number`);
      else if (grams < 0) fail("Grams cannot be negative");
      else if (grams > MAX_GRAMS) fail(`Grams must be at most ${MAX_GRAMS.toLocaleString("en-US")}`);
    }
    const unit = cell("unit");
    if (unit && !GRAM_UNITS.has(unit.toLowerCase())) fail(`Unit "${unit}" is not grams: give the weight in grams (g)`);
    const notes = cell("notes");
    if (notes && notes.length > 5000) fail("Notes are longer than 5000 characters");
    const batch = cell("source_batch_id");
    if (batch && batch.length > 100) fail("Source batch id is longer than 100 characters");
    const strain = cell("strain")?.replace(/\s+/g, " ");
    if (strain && strain.length > 200) fail("Strain is longer than 200 characters");

    // Only kept when no problem was recorded, so the tag parsed.
    const metrc = (tag as { data?: string } | undefined)?.data ?? "";
    return { row, metrc_number: metrc, grams: grams === null ? undefined : roundGrams(grams), strain, notes, source_batch_id: batch };
  });

  const reason = `Imported from ${file}`;
  return {
    target: "finished_goods",
    rows: rows.length,
    async apply(m) {
      const summary = { rows: rows.length, created: 0, updated: 0, skipped: 0, warnings: [] as string[] };
      for (const r of rows) {
        try {
          const outcome = await applyRow(m, r, reason);
          if (outcome === "archived") {
            summary.skipped++;
            summary.warnings.push(`Row ${r.row}: ${r.metrc_number} is archived and was left alone (restore it to import into it)`);
          } else summary[outcome]++;
        } catch (err) {
          // The domain's own refusals (unknown source batch …) fail the file, naming the row.
          if (isExpectedError(err)) throw new ImportError(`Row ${r.row}: ${err.message}`, r.row);
          throw err;
        }
      }
      return summary;
    },
  };
}

async function applyRow(m: Mutation, r: PackageRow, reason: string): Promise<"created" | "updated" | "skipped" | "archived"> {
  const fg = await m.tx.finishedGood.findUnique({ where: { metrc_number: r.metrc_number } });
  if (!fg) {
    if (!r.strain) throw new ImportError(`Row ${r.row}: ${r.metrc_number} is a new package and needs a strain`, r.row);
    if (r.grams === undefined || r.grams <= 0)
      throw new ImportError(`Row ${r.row}: ${r.metrc_number} is a new package and needs grams above 0`, r.row);
    await insertFinishedGood(m, {
      metrc_number: r.metrc_number,
      strain: r.strain,
      grams: r.grams,
      notes: r.notes,
      source_batch_id: r.source_batch_id,
    });
    return "created";
  }
  if (fg.status === "archived") return "archived";
  const edit = { strain: r.strain, notes: r.notes, source_batch_id: r.source_batch_id };
  const edits = Object.entries(edit).some(([f, v]) => v !== undefined && auditValue(v) !== auditValue(fg[f as keyof FinishedGood]));
  let current = fg;
  if (edits) current = (await applyFinishedGoodUpdate(m, fg, { ...edit, reason })).package;
  const counted = r.grams !== undefined && r.grams !== current.current_grams;
  if (counted) await setCountedGrams(m, current, r.grams!, reason);
  return edits || counted ? "updated" : "skipped";
}

/** Moves current grams to the counted figure with the API's atomic add/take; history row `import`. */
async function setCountedGrams(m: Mutation, fg: FinishedGood, counted: number, reason: string): Promise<void> {
  const delta = roundGrams(counted - fg.current_grams);
  const { previous_grams, after } = delta > 0 ? await giveGrams(m, fg.metrc_number, delta) : await takeGrams(m, fg.metrc_number, -delta);
  await writeHistory(m, after, "import", { gramsChanged: delta, reason, details: { previous_grams, counted_grams: counted } });
  await m.audit({
    entity: "finished_good",
    entityId: after.metrc_number,
    label: after.strain,
    before: { current_grams: previous_grams, status: fg.status },
    after: { current_grams: after.current_grams, status: after.status },
  });
  await m.emit(delta > 0 ? "finished_good.added" : "finished_good.deducted", {
    metrc_number: after.metrc_number,
    strain: after.strain,
    previous_grams,
    current_grams: after.current_grams,
    grams: Math.abs(delta),
    reason,
  });
}
