import { z } from "zod";

/** What a bill-of-materials line applies to: one pre-roll of a size. */
export const bomTargets = ["unit_0_5", "unit_0_7", "unit_1_0"] as const;
export type BomTarget = (typeof bomTargets)[number];

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
