import { z } from "zod";
import { machineId, numeric } from "@/lib/domain/centrifuge/machines";

/**
 * Request schemas of the centrifuge calculator routes. Pure (zod and the machine-id helpers), so
 * the desk's /centrifuge forms validate with the same rules as the server (lazyZodResolver).
 */

export const calculateSchema = z.object({
  rpm: numeric(z.number().positive().max(100_000)),
  centrifuge_type: machineId.optional(),
});

export const compareSchema = z.object({
  rpm: numeric(z.number().positive().max(100_000)),
  source_centrifuge: machineId.optional(),
});

export const impulseCalculateSchema = z.object({
  rpm: numeric(z.number().positive().max(100_000)),
  time_seconds: numeric(z.number().positive().max(3600)).default(15),
  weight_grams: numeric(z.number().positive().max(10_000)).default(1),
  centrifuge_type: machineId.optional(),
});

export const targetMatchSchema = z.object({
  target_impulse: numeric(z.number().positive().max(100_000)),
  adjust_mode: z.enum(["rpm", "time"]).default("rpm"),
  rpm: numeric(z.number().positive().max(100_000)).default(2200),
  time_seconds: numeric(z.number().positive().max(3600)).default(15),
  weight_grams: numeric(z.number().positive().max(10_000)).default(1),
  centrifuge_type: machineId.optional(),
});

export const batchComparisonSchema = z.object({
  rpm: numeric(z.number().positive().max(100_000)),
  time_seconds: numeric(z.number().positive().max(3600)).default(15),
  centrifuge_type: machineId.optional(),
  /** Grams per pre-roll to compare; the three sizes when omitted. */
  batch_weights: z
    .array(numeric(z.number().positive().max(10_000)))
    .min(1)
    .max(100)
    .default([0.5, 0.7, 1.0]),
});
