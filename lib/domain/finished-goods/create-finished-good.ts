import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import type { Tx } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { badRequest, conflict } from "@/lib/http/errors";
import { metrcNumber } from "@/lib/domain/batches/batch-schema";
import { batchId, notes, positiveGrams, required, strainName } from "@/lib/domain/finished-goods/fields";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `POST /api/finished-goods/`: `metrc_number` (24 upper-case letters/digits; lower case is
 * upper-cased), `strain`, `grams` > 0 required — each missing one is a 400 "<field> is required" —
 * with optional `notes` and `source_batch_id` (an existing batch, else 400).
 */
export const createFinishedGoodSchema = z.strictObject({
  metrc_number: metrcNumber.optional(),
  strain: strainName.optional(),
  grams: positiveGrams.optional(),
  notes: notes.optional(),
  source_batch_id: batchId.nullable().optional(),
});
export type CreateFinishedGoodInput = z.output<typeof createFinishedGoodSchema>;

export function duplicatePackage(metrc: string) {
  return conflict("A package with this METRC number already exists", { metrc_number: metrc }, "duplicate_package");
}

/** 400 "Source batch not found" unless the batch exists. */
export async function assertBatchExists(tx: Pick<Tx, "batch">, id: string): Promise<void> {
  const batch = await tx.batch.findUnique({ where: { id }, select: { id: true } });
  if (!batch) {
    throw badRequest(
      "Source batch not found",
      { location: "body", fields: { source_batch_id: ["No batch has this id"] } },
      "source_batch_not_found",
    );
  }
}

/** Creates the package inside the caller's mutation (the POST route, the inbox import): 409 on a known tag. */
export async function insertFinishedGood(
  m: Mutation,
  input: { metrc_number: string; strain: string; grams: number; notes?: string | null; source_batch_id?: string | null },
): Promise<FinishedGood> {
  const { metrc_number: metrc, strain, grams } = input;
  if (await m.tx.finishedGood.findUnique({ where: { metrc_number: metrc }, select: { metrc_number: true } })) {
    throw duplicatePackage(metrc);
  }
  if (input.source_batch_id) await assertBatchExists(m.tx, input.source_batch_id);
  const fg = await m.tx.finishedGood.create({
    data: {
      metrc_number: metrc,
      strain,
      initial_grams: grams,
      current_grams: grams,
      status: "active",
      notes: input.notes ?? null,
      source_batch_id: input.source_batch_id ?? null,
      created_date: m.now,
      updated_date: m.now,
    },
  });
  await writeHistory(m, fg, "created", { gramsChanged: grams, details: { initial_grams: grams, strain } });
  await m.audit({
    entity: "finished_good",
    entityId: metrc,
    label: strain,
    before: null,
    after: { strain, initial_grams: grams, current_grams: grams, status: "active", notes: fg.notes, source_batch_id: fg.source_batch_id },
  });
  await m.emit("finished_good.created", { metrc_number: metrc, strain, grams, source_batch_id: fg.source_batch_id });
  return fg;
}

export async function createFinishedGood(ctx: ActorContext, input: CreateFinishedGoodInput): Promise<FinishedGood> {
  const metrc = required(input.metrc_number, "metrc_number");
  const strain = required(input.strain, "strain");
  const grams = required(input.grams, "grams");
  try {
    return await mutate(ctx, (m) =>
      insertFinishedGood(m, { metrc_number: metrc, strain, grams, notes: input.notes, source_batch_id: input.source_batch_id }),
    );
  } catch (err) {
    // Two creates of one tag at once: the loser's insert hits the primary key.
    if ((err as { code?: string }).code === "P2002") throw duplicatePackage(metrc);
    throw err;
  }
}
