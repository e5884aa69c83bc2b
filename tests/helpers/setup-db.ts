import fs from "node:fs";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { watchEnvironment } from "@/lib/config/env";
import { postgresUrl, withAdmin } from "./postgres";

/**
 * Each test file gets its own copy of the migrated template database, set as DATABASE_URL before
 * any application module (and so the Prisma client) is imported. On PostgreSQL (TEST_DB=postgres)
 * the copy is `CREATE DATABASE … TEMPLATE …`, dropped when the file's tests end.
 */
const pgTemplate = inject("postgresTemplate");
if (pgTemplate) {
  const name = `${inject("postgresPrefix")}f${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withAdmin(async (admin) => void (await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${pgTemplate}"`)));
  process.env.DATABASE_URL = postgresUrl(name);
  afterAll(async () => {
    // FORCE ends the file's own pool connections (the Prisma client is not disconnected first).
    await withAdmin(async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  });
} else {
  const template = inject("templateDb");
  const file = path.join(path.dirname(template), `test-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
  fs.copyFileSync(template, file);
  process.env.DATABASE_URL = `file:${file}`;
}
delete (globalThis as { __prerollDb?: unknown }).__prerollDb;
// Tests change process.env between cases: config() notices (lib/config/env.ts).
watchEnvironment();
