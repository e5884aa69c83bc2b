import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { notFound } from "@/lib/http/errors";
import { metrcKey } from "@/lib/domain/finished-goods/load-finished-good";
import { serializeFinishedGood } from "@/lib/domain/finished-goods/serialize-finished-good";
import type { FinishedGood as FinishedGoodJson } from "@/lib/domain/finished-goods/finished-good-response";

/** What a serialized package carries besides its own row: holds and applied Apex decrements. */
export const packageInclude = {
  holds: { orderBy: { created_date: "asc" } },
  decrements: { orderBy: { id: "asc" } },
} satisfies Prisma.FinishedGoodInclude;

/** One package in the contract's shape (`GET /api/finished-goods/{metrc}`); 404 `Package not found`. */
export async function getFinishedGood(metrc: string): Promise<FinishedGoodJson> {
  const row = await db.finishedGood.findUnique({ where: { metrc_number: metrcKey(metrc) }, include: packageInclude });
  if (!row) throw notFound("Package not found", "package_not_found");
  const { holds, decrements, ...fg } = row;
  return serializeFinishedGood(fg, { holds, decrements });
}
