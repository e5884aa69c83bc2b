import { z } from "zod";
import { PrismaClient } from "@/lib/generated/prisma-pg/client";

/**
 * The tables to copy, read from the Prisma data model of the generated PostgreSQL client (the
 * models of prisma/postgres/schema.prisma), never from a hand-kept list: a model added later is
 * copied, or the plan fails loudly when the databases do not have its table.
 */

export interface ModelTable {
  model: string;
  table: string;
  /** Scalar columns with their Prisma type (String, Int, Float, Boolean, DateTime, Json, …). */
  columns: { name: string; type: string }[];
}

// The generated client keeps its data model on every instance (`_runtimeDataModel`), the only
// place Prisma 7 exposes it at run time; parsed, so a Prisma upgrade that moves it fails here.
const runtimeDataModel = z.object({
  models: z.record(
    z.string(),
    z.object({
      dbName: z.string().nullable(),
      fields: z.array(z.object({ name: z.string(), kind: z.string(), type: z.string(), dbName: z.string().nullish() })),
    }),
  ),
});

export function modelTables(): ModelTable[] {
  // An adapter that is never connected: constructing the client opens nothing.
  const unused = { provider: "postgres", adapterName: "unused", connect: () => Promise.reject(new Error("not connected")) };
  const client = new PrismaClient({ adapter: unused as never });
  const parsed = runtimeDataModel.safeParse((client as unknown as { _runtimeDataModel: unknown })._runtimeDataModel);
  if (!parsed.success) throw new Error("cannot read the Prisma data model of lib/generated/prisma-pg (run npm run db:generate)");
  return Object.entries(parsed.data.models).map(([model, m]) => ({
    model,
    table: m.dbName ?? model,
    columns: m.fields
      .filter((f) => f.kind === "scalar" || f.kind === "enum")
      .map((f) => ({ name: f.dbName ?? f.name, type: f.kind === "enum" ? "String" : f.type })),
  }));
}
