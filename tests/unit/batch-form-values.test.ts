import { describe, expect, it } from "vitest";
import { batchFormValuesFrom, createBody, editChanges, emptyBatchFormValues, formFieldOf } from "@/components/batch-desk/batch-form-values";
import { createBatchSchema, updateBatchSchema } from "@/lib/domain/batches/batch-schema";
import type { Batch } from "@/lib/domain/batches/batch-response";

/** The desk's batch form: what it sends for what a manager typed (only changes when editing). */

const saved = (over: Partial<Batch> = {}): Batch =>
  ({
    id: "b1",
    strain: "Blue Dream",
    stage: 2,
    input_grams: 2000,
    grams_used: 0,
    grams_ground: 0,
    counts_0_5: 120,
    counts_0_7: 0,
    counts_1_0: 4,
    planned_0_5: 1600,
    planned_0_7: 0,
    planned_1_0: 0,
    plan_use_grams: 0,
    thc_percent: 21.5,
    thca_percent: null,
    testing_status: "sample_sent",
    packaging_status: "available",
    testing_lab: "Lab A",
    harvest_date: "2026-11-02",
    grind_size: "medium",
    paper_size_override: null,
    is_infused: false,
    source_materials: null,
    centrifuge_settings_by_size: { "0_5": { centrifuge_rpm: 2000, centrifuge_time_seconds: 12, centrifuge_machine: "lab_geek" } },
    ...over,
  }) as Batch;

describe("editing a batch", () => {
  it("sends nothing when nothing was touched", () => {
    const values = batchFormValuesFrom(saved());
    expect(editChanges(values, structuredClone(values))).toEqual({ fields: null, plan: null, counts: null, stage: null });
  });

  it("sends only the changed fields, a cleared optional one as null", () => {
    const initial = batchFormValuesFrom(saved());
    const values = structuredClone(initial);
    values.testing_lab = "Green Lab";
    values.thc_percent = "";
    values.origin_metrc_number = "1a4ff0300000e2e000000001";
    const { fields } = editChanges(initial, values);
    expect(fields).toEqual({ testing_lab: "Green Lab", thc_percent: null, origin_metrc_number: "1A4FF0300000E2E000000001" });
    expect(updateBatchSchema.safeParse(fields).success).toBe(true);
  });

  it("sends the centrifuge settings of every size when one size changed, as numbers", () => {
    const initial = batchFormValuesFrom(saved());
    const values = structuredClone(initial);
    values.centrifuge["0_7"].centrifuge_rpm = "1900";
    expect(editChanges(initial, values).fields).toEqual({
      centrifuge_settings_by_size: {
        "0_5": { centrifuge_rpm: 2000, centrifuge_time_seconds: 12, centrifuge_machine: "lab_geek" },
        "0_7": { centrifuge_rpm: 1900 },
      },
    });
  });

  it("sends the plan whole (to the capping plan route), changed counts and a stage move separately", () => {
    const initial = batchFormValuesFrom(saved());
    const values = structuredClone(initial);
    values.planned_0_7 = "300";
    values.counts_1_0 = "10";
    values.stage = "3";
    const changes = editChanges(initial, values);
    expect(changes.plan).toEqual({ planned_0_5: 1600, planned_0_7: 300, planned_1_0: 0, plan_use_grams: 0 });
    expect(changes.counts).toEqual({ counts_1_0: 10 });
    expect(changes.stage).toBe(3);
    expect(changes.fields).toBeNull();
  });

  it("lets the server's schema reject text in a number field", () => {
    const initial = batchFormValuesFrom(saved());
    const values = structuredClone(initial);
    values.cbd_percent = "lots";
    const result = updateBatchSchema.safeParse(editChanges(initial, values).fields);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual(["cbd_percent"]);
  });
});

describe("a new batch", () => {
  it("sends what was filled in, defaults left to the server, and passes the server's schema", () => {
    const values = emptyBatchFormValues();
    values.strain = "  Gelato 41 ";
    values.input_grams = "1500";
    values.thc_percent = "19,5"; // a decimal comma is read as a point
    values.source_materials = "Distillate lot 7\nKief lot 2";
    values.is_infused = true;
    const body = createBody(values);
    expect(body).toEqual({
      strain: "Gelato 41",
      input_grams: 1500,
      thc_percent: 19.5,
      is_infused: true,
      source_materials: ["Distillate lot 7", "Kief lot 2"],
      stage: 0,
    });
    expect(createBatchSchema.safeParse(body).success).toBe(true);
  });
});

it("names a nested error path as the form's field", () => {
  expect(formFieldOf("centrifuge_settings_by_size.0_7.centrifuge_rpm")).toBe("centrifuge.0_7.centrifuge_rpm");
  expect(formFieldOf(["thc_percent"])).toBe("thc_percent");
});
