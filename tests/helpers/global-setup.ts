import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { dropDatabases, postgresUrl, withAdmin } from "./postgres";

/**
 * Once per run: migrate a template database with the real migrations (scripts/migrate.mjs).
 * Every test file then gets its own copy (tests/helpers/setup-db.ts): a real database per file.
 * SQLite (default): a template file, copied in ms. TEST_DB=postgres (vitest.postgres.config.mts):
 * a template database `prt_runtime_<pid>_tmpl`, cloned with CREATE DATABASE … TEMPLATE; every
 * database with the run's prefix is dropped at the end (also those of a crashed file).
 */
export default async function globalSetup({ provide }: { provide: (key: string, value: string) => void }) {
  if (process.env.TEST_DB === "postgres") {
    const prefix = `prt_runtime_${process.pid}_`;
    const template = `${prefix}tmpl`;
    await withAdmin(async (admin) => void (await admin.query(`CREATE DATABASE "${template}"`)));
    try {
      migrateTo(postgresUrl(template));
    } catch (err) {
      await dropDatabases(prefix);
      throw err;
    }
    provide("templateDb", "");
    provide("postgresTemplate", template);
    provide("postgresPrefix", prefix);
    return () => dropDatabases(prefix);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-test-"));
  const template = path.join(dir, "template.db");
  migrateTo(`file:${template}`);
  provide("templateDb", template);
  provide("postgresTemplate", "");
  provide("postgresPrefix", "");
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

function migrateTo(databaseUrl: string): void {
  execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "scripts/migrate.mjs"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    postgresTemplate: string;
    postgresPrefix: string;
  }
}
