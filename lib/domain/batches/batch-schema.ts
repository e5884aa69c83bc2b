import { z } from "zod";
import { grindSizes, METRC_PATTERN, packagingStatuses, testingStatuses } from "@/lib/domain/batches/constants";

/**
 * Zod for batch input, shared by the API routes, the forms and (later) the OpenAPI document.
 * Ranges are the contract's: percentages 0–100, RPM 500–2500, 1–90 s, 1–3 cycles, gauge 1–12.
 */

const grams = z.number().min(0).max(1_000_000);
const count = z.number().int().min(0).max(10_000_000);
const percent = z.number().min(0).max(100).nullable();
const text = (max = 500) => z.string().trim().max(max).nullable();
export const metrcNumber = z.string().trim().toUpperCase().regex(METRC_PATTERN, "METRC numbers are 24 upper-case letters or digits");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .nullable();

export const centrifugeFields = {
  centrifuge_rpm: z.number().int().min(500).max(2500).nullable(),
  centrifuge_time_seconds: z.number().int().min(1).max(90).nullable(),
  centrifuge_cycles: z.number().int().min(1).max(3).nullable(),
  centrifuge_fill_gauge_cycle1: z.number().min(1).max(12).nullable(),
  centrifuge_fill_gauge_cycle2: z.number().min(1).max(12).nullable(),
  // Any machine of the `centrifuge_machines` setting: checked by updateBatch / createBatch.
  centrifuge_machine: z.string().trim().toLowerCase().min(1).max(50).nullable(),
};

const sizeCentrifuge = z.strictObject({
  centrifuge_rpm: centrifugeFields.centrifuge_rpm.optional(),
  centrifuge_time_seconds: centrifugeFields.centrifuge_time_seconds.optional(),
  centrifuge_cycles: centrifugeFields.centrifuge_cycles.optional(),
  centrifuge_fill_gauge_cycle1: centrifugeFields.centrifuge_fill_gauge_cycle1.optional(),
  centrifuge_fill_gauge_cycle2: centrifugeFields.centrifuge_fill_gauge_cycle2.optional(),
  centrifuge_machine: centrifugeFields.centrifuge_machine.optional(),
});

/** Every editable batch field (counts and stage have their own operations). */
const editableFields = {
  strain: z.string().trim().min(1).max(200),
  input_grams: grams,
  target_grams_each: grams,
  produced: count,
  grams_used: grams,
  grams_ground: grams,
  planned_0_5: count,
  planned_0_7: count,
  planned_1_0: count,
  plan_use_grams: grams,
  labels_printed: count,
  display_order: z.number().int(),
  harvest_date: isoDate,
  bay_number: text(50),
  thc_percent: percent,
  thca_percent: percent,
  tac_percent: percent,
  cbd_percent: percent,
  origin_metrc_number: metrcNumber.nullable(),
  new_metrc_created: z.boolean(),
  new_metrc_number: metrcNumber.nullable(),
  metrc_transferred: z.boolean(),
  metrc_batch_created: z.boolean(),
  ...centrifugeFields,
  centrifuge_settings_by_size: z.partialRecord(z.enum(["0_5", "0_7", "1_0"]), sizeCentrifuge).nullable(),
  testing_status: z.enum(testingStatuses),
  test_package_id: text(100),
  testing_lab: text(200),
  test_date: isoDate,
  test_results: text(5000),
  testing_notes: text(5000),
  packaging_status: z.enum(packagingStatuses),
  packaging_blocker_type: text(100),
  packaging_notes: text(5000),
  paper_size_override: z.enum(["0_5", "0_7", "1_0"]).nullable(),
  is_infused: z.boolean(),
  source_materials: z.array(z.string().max(200)).max(100).nullable(),
  grind_size: z.enum(grindSizes).nullable(),
  final_weight_0_5: grams,
  final_weight_0_7: grams,
  final_weight_1_0: grams,
  packaged_singles: count,
  packaged_6_packs: count,
  packaged_12_packs: count,
  loose_tupperware: count,
  lab_sample_grams: grams,
  waste_grams: grams,
  remainder_grams: grams,
};

export const stageSchema = z.number().int().min(0).max(7);

const editable = z.strictObject(editableFields);

export const createBatchSchema = editable.partial().extend({
  strain: editableFields.strain,
  input_grams: grams,
  stage: stageSchema.optional(),
});
export type CreateBatchInput = z.output<typeof createBatchSchema>;

export const updateBatchSchema = editable
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });
export type UpdateBatchInput = z.output<typeof updateBatchSchema>;

/** A stage move; "Move to Done" on the floor also sends the mass-balance grams (written in the same transaction). */
export const changeStageSchema = z.strictObject({
  stage: stageSchema,
  lab_sample_grams: grams.optional(),
  waste_grams: grams.optional(),
  remainder_grams: grams.optional(),
});
export type ChangeStageInput = z.output<typeof changeStageSchema>;

const countValue = count;
export const recordCountsSchema = z
  .strictObject({
    counts_0_5: countValue.optional(),
    counts_0_7: countValue.optional(),
    counts_1_0: countValue.optional(),
    // Additive form for the +25/+50/+100 buttons and offline replay: two operators adding at once
    // both count, where two absolute totals would overwrite each other.
    add_0_5: z.number().int().min(-100_000).max(100_000).optional(),
    add_0_7: z.number().int().min(-100_000).max(100_000).optional(),
    add_1_0: z.number().int().min(-100_000).max(100_000).optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "No counts given" });
export type RecordCountsInput = z.output<typeof recordCountsSchema>;
