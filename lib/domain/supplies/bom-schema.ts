import { z } from "zod";

/**
 * What a bill-of-materials line applies to: one pre-roll of a size (counts deduct these, see
 * lib/domain/batches/record-counts.ts) or one pack (single, 6-pack, 12-pack: consumed when the batch's bagging counters rise, consume-supplies.ts).
 */
export const unitTargets = ["unit_0_5", "unit_0_7", "unit_1_0"] as const;
export const bomTargets = [...unitTargets, "pack_1", "pack_6", "pack_12"] as const;
export type BomTarget = (typeof bomTargets)[number];

export const bomTargetLabels: Record<BomTarget, string> = {
  unit_0_5: "per 0.5g pre-roll",
  unit_0_7: "per 0.7g pre-roll",
  unit_1_0: "per 1.0g pre-roll",
  pack_1: "per single pack",
  pack_6: "per 6-pack",
  pack_12: "per 12-pack",
};

/** PUT /api/supplies/{id}/bom: the supply's uses, replacing all (an empty list removes them). */
export const bomUsesSchema = z.strictObject({
  uses: z
    .array(
      z.strictObject({
        applies_to: z.enum(bomTargets),
        quantity: z.number().positive("Must be more than 0").max(100, "Must be at most 100"),
      }),
    )
    .max(bomTargets.length)
    .refine((uses) => new Set(uses.map((u) => u.applies_to)).size === uses.length, { message: "One line per size" }),
});
export type BomUse = z.output<typeof bomUsesSchema>["uses"][number];
