import type { Tx } from "@/lib/db/client";
import type { FinishedGood } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/http/errors";

/** A METRC tag as stored: trimmed, upper case (look-ups accept what people type). */
export function metrcKey(metrc: string): string {
  return metrc.trim().toUpperCase();
}

/** The package or a 404 `{"error": "Package not found"}` (the contract's body). */
export async function loadFinishedGood(tx: Pick<Tx, "finishedGood">, metrcNumber: string): Promise<FinishedGood> {
  const fg = await tx.finishedGood.findUnique({ where: { metrc_number: metrcKey(metrcNumber) } });
  if (!fg) throw notFound("Package not found", "package_not_found");
  return fg;
}
