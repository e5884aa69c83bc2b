import { sizes, type Size } from "@/lib/domain/batches/constants";
import type { Batch } from "@/lib/domain/batches/batch-response";
import type { CreateBatchInput, UpdateBatchInput } from "@/lib/domain/batches/batch-schema";

/**
 * The batch form's values and their translation to request bodies (pure, unit-tested). Inputs
 * hold text, as the browser gives it; the bodies hold what the server's zod schemas expect:
 * numbers, `null` for an emptied optional field, and — when editing — only what changed.
 */

export const centrifugeKeys = [
  "centrifuge_rpm",
  "centrifuge_time_seconds",
  "centrifuge_cycles",
  "centrifuge_fill_gauge_cycle1",
  "centrifuge_fill_gauge_cycle2",
  "centrifuge_machine",
] as const;
type CentrifugeKey = (typeof centrifugeKeys)[number];
export type SizeCentrifugeValues = Record<CentrifugeKey, string>;

/** Numbers that may not be empty: an empty input means "leave as is" (create: the default). */
const numberFields = [
  "input_grams",
  "grams_used",
  "grams_ground",
  "labels_printed",
  "lab_sample_grams",
  "waste_grams",
  "remainder_grams",
  "final_weight_0_5",
  "final_weight_0_7",
  "final_weight_1_0",
  "packaged_singles",
  "packaged_6_packs",
  "packaged_12_packs",
  "loose_tupperware",
] as const;
/** Numbers the user may clear (sent as null). */
const nullableNumberFields = ["thc_percent", "thca_percent", "tac_percent", "cbd_percent"] as const;
/** Text the user may clear (sent as null). */
const nullableTextFields = [
  "harvest_date",
  "bay_number",
  "origin_metrc_number",
  "new_metrc_number",
  "test_package_id",
  "testing_lab",
  "test_date",
  "test_results",
  "testing_notes",
  "packaging_blocker_type",
  "packaging_notes",
] as const;
const booleanFields = ["is_infused", "new_metrc_created", "metrc_transferred", "metrc_batch_created"] as const;
const planFields = ["planned_0_5", "planned_0_7", "planned_1_0", "plan_use_grams"] as const;
const countFields = ["counts_0_5", "counts_0_7", "counts_1_0"] as const;

type NumberField = (typeof numberFields)[number] | (typeof nullableNumberFields)[number];
type TextField = (typeof nullableTextFields)[number];
type BooleanField = (typeof booleanFields)[number];
type PlanField = (typeof planFields)[number];
type CountField = (typeof countFields)[number];

export type BatchFormValues = Record<NumberField | TextField | PlanField | CountField, string> &
  Record<BooleanField, boolean> & {
    strain: string;
    stage: string;
    grind_size: "" | "fine" | "medium" | "coarse";
    paper_size_override: "" | Size;
    testing_status: Batch["testing_status"];
    packaging_status: Batch["packaging_status"];
    /** One per line. */
    source_materials: string;
    centrifuge: Record<Size, SizeCentrifugeValues>;
  };

const text = (v: number | string | null | undefined) => (v === null || v === undefined ? "" : String(v));

const emptyCentrifuge = (): SizeCentrifugeValues => Object.fromEntries(centrifugeKeys.map((k) => [k, ""])) as SizeCentrifugeValues;

export function emptyBatchFormValues(): BatchFormValues {
  const blank = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, ""]));
  return {
    ...(blank([...numberFields, ...nullableNumberFields, ...nullableTextFields, ...planFields, ...countFields]) as Record<
      NumberField | TextField | PlanField | CountField,
      string
    >),
    is_infused: false,
    new_metrc_created: false,
    metrc_transferred: false,
    metrc_batch_created: false,
    strain: "",
    stage: "0",
    grind_size: "",
    paper_size_override: "",
    testing_status: "none",
    packaging_status: "available",
    source_materials: "",
    centrifuge: { "0_5": emptyCentrifuge(), "0_7": emptyCentrifuge(), "1_0": emptyCentrifuge() },
  };
}

/** The form filled from a saved batch. */
export function batchFormValuesFrom(batch: Batch): BatchFormValues {
  const values = emptyBatchFormValues();
  for (const f of [...numberFields, ...nullableNumberFields, ...nullableTextFields, ...planFields, ...countFields])
    values[f] = text(batch[f]);
  for (const f of booleanFields) values[f] = Boolean(batch[f]);
  values.strain = batch.strain;
  values.stage = String(batch.stage);
  values.grind_size = batch.grind_size ?? "";
  values.paper_size_override = (batch.paper_size_override ?? "") as BatchFormValues["paper_size_override"];
  values.testing_status = batch.testing_status;
  values.packaging_status = batch.packaging_status;
  values.source_materials = (batch.source_materials ?? []).join("\n");
  for (const size of sizes) {
    const saved = batch.centrifuge_settings_by_size?.[size];
    for (const k of centrifugeKeys) values.centrifuge[size][k] = text(saved?.[k]);
  }
  return values;
}

/** "" → undefined (not sent); anything else as a number (NaN lets the schema say what is wrong). */
const numberOrSkip = (v: string) => (v.trim() === "" ? undefined : Number(v.replace(",", ".")));
const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v.replace(",", ".")));
const textOrNull = (v: string) => (v.trim() === "" ? null : v.trim());

function centrifugeBody(values: BatchFormValues) {
  const out: Partial<Record<Size, Record<string, number | string | null>>> = {};
  for (const size of sizes) {
    const entry: Record<string, number | string | null> = {};
    for (const k of centrifugeKeys) {
      const raw = values.centrifuge[size][k];
      if (raw.trim() === "") continue;
      entry[k] = k === "centrifuge_machine" ? raw.trim() : Number(raw);
    }
    if (Object.keys(entry).length) out[size] = entry;
  }
  return Object.keys(out).length ? out : null;
}

/** Every batch field of the form as the server's create/update schemas take them. */
export function batchFieldsBody(values: BatchFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = { strain: values.strain.trim() };
  for (const f of numberFields) body[f] = numberOrSkip(values[f]);
  for (const f of nullableNumberFields) body[f] = numberOrNull(values[f]);
  for (const f of nullableTextFields) body[f] = textOrNull(values[f]);
  for (const f of booleanFields) body[f] = values[f];
  for (const f of ["origin_metrc_number", "new_metrc_number"] as const) {
    if (typeof body[f] === "string") body[f] = (body[f] as string).toUpperCase();
  }
  body.grind_size = values.grind_size || null;
  body.paper_size_override = values.paper_size_override || null;
  body.testing_status = values.testing_status;
  body.packaging_status = values.packaging_status;
  const materials = values.source_materials
    .split(/\n|,/)
    .map((s) => s.trim())
    .filter(Boolean);
  body.source_materials = materials.length ? materials : null;
  body.centrifuge_settings_by_size = centrifugeBody(values);
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

/** The plan as the plan route takes it, or null when no planned figure is filled in. */
export function planBody(values: BatchFormValues) {
  const [p05, p07, p10] = [values.planned_0_5, values.planned_0_7, values.planned_1_0].map((v) => numberOrSkip(v));
  if (p05 === undefined && p07 === undefined && p10 === undefined) return null;
  return { planned_0_5: p05 ?? 0, planned_0_7: p07 ?? 0, planned_1_0: p10 ?? 0, plan_use_grams: numberOrSkip(values.plan_use_grams) ?? 0 };
}

/** The running totals as the counts route takes them (only sizes filled in). */
export function countsBody(values: BatchFormValues) {
  const out: Partial<Record<CountField, number>> = {};
  for (const f of countFields) {
    const n = numberOrSkip(values[f]);
    if (n !== undefined) out[f] = n;
  }
  return out;
}

/** A new batch: its fields plus the stage (the plan goes through the plan route afterwards, to be capped). */
export function createBody(values: BatchFormValues): CreateBatchInput {
  const body = batchFieldsBody(values);
  for (const k of Object.keys(body)) if (body[k] === null || body[k] === false) delete body[k];
  if (body.testing_status === "none") delete body.testing_status;
  if (body.packaging_status === "available") delete body.packaging_status;
  body.stage = Number(values.stage);
  return body as CreateBatchInput;
}

// NaN (text typed into a number field) must not compare equal to null, as JSON.stringify has it.
const stable = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" && Number.isNaN(x) ? "NaN" : x));
const same = (a: unknown, b: unknown) => stable(a) === stable(b);
const pick = <T extends object>(from: T, changed: (k: keyof T) => boolean) =>
  Object.fromEntries(Object.entries(from).filter(([k]) => changed(k as keyof T)));

/** What an edit changed, in the three requests it takes (each null when nothing of it changed). */
export function editChanges(initial: BatchFormValues, values: BatchFormValues) {
  const before = batchFieldsBody(initial);
  const after = batchFieldsBody(values);
  const fields = pick(after, (k) => !same(after[k], before[k]));
  // A cleared number that cannot be null (e.g. "Grams used") stays as saved: nothing to send.
  const plan = planBody(values);
  const planChanged = planFields.some((f) => values[f].trim() !== initial[f].trim());
  const counts = countsBody(values);
  const countsBefore = countsBody(initial);
  const changedCounts = pick(counts, (k) => counts[k] !== countsBefore[k]);
  return {
    fields: Object.keys(fields).length ? (fields as UpdateBatchInput) : null,
    plan: planChanged ? plan : null,
    counts: Object.keys(changedCounts).length ? (changedCounts as Partial<Record<CountField, number>>) : null,
    stage: values.stage !== initial.stage ? Number(values.stage) : null,
  };
}

/** A request field's path (`centrifuge_settings_by_size.0_5.centrifuge_rpm`) as the form names it. */
export function formFieldOf(path: readonly PropertyKey[] | string): string {
  const parts = typeof path === "string" ? path.split(".") : path.map(String);
  if (parts[0] === "centrifuge_settings_by_size" && parts.length >= 3) return `centrifuge.${parts[1]}.${parts[2]}`;
  return parts[0] ?? "";
}
