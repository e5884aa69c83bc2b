import type { Tx } from "@/lib/db/client";
import type { Batch } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/http/errors";

/** The batch or a 404 `Batch not found` (the contract's message). */
export async function loadBatch(tx: Tx, id: string): Promise<Batch> {
  const batch = await tx.batch.findUnique({ where: { id } });
  if (!batch) throw notFound("Batch not found", "batch_not_found");
  return batch;
}
