import { z } from "zod";
import { centrifugeFields } from "@/lib/domain/batches/batch-schema";
import { sampleWeightField } from "@/lib/domain/weight-checks/weight-check-schema";

/**
 * The batch page's form schemas, built from the server's own field rules. Loaded on demand
 * (lib/client/lazy-zod-resolver.ts) so zod stays out of the floor pages' initial JavaScript.
 */

/** An input's text → number, "" → null, so the server's ranges check it. */
const fromInput = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? null : Number(v)) : v), schema);

export const weighSampleSchema = z.object({ sample_weight: sampleWeightField });

export const centrifugeSettingsSchema = z.object({
  centrifuge_rpm: fromInput(centrifugeFields.centrifuge_rpm),
  centrifuge_time_seconds: fromInput(centrifugeFields.centrifuge_time_seconds),
  centrifuge_cycles: fromInput(centrifugeFields.centrifuge_cycles),
  centrifuge_fill_gauge_cycle1: fromInput(centrifugeFields.centrifuge_fill_gauge_cycle1),
  centrifuge_fill_gauge_cycle2: fromInput(centrifugeFields.centrifuge_fill_gauge_cycle2),
});

const percentInput = fromInput(z.number().min(0, "0–100").max(100, "0–100").nullable());
export const outcomeSchema = z.object({
  yield_percent: percentInput,
  weight_check_pass_rate: percentInput,
  notes: z.string().trim().max(5000),
});
