import fs from "node:fs";
import path from "node:path";
import { inject } from "vitest";
import { watchEnvironment } from "@/lib/config/env";

/**
 * Each test file gets its own copy of the migrated template database, set as DATABASE_URL before
 * any application module (and so the Prisma client) is imported.
 */
const template = inject("templateDb");
const file = path.join(path.dirname(template), `test-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_URL = `file:${file}`;
delete (globalThis as { __prerollDb?: unknown }).__prerollDb;
// Tests change process.env between cases: config() notices (lib/config/env.ts).
watchEnvironment();
