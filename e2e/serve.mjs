#!/usr/bin/env node
/**
 * Playwright's webServer command: wipe the e2e database directory, then run the ordinary
 * `scripts/start.mjs` (migrate → bootstrap admin + demo data → build if needed → serve) in this
 * same process, so Playwright's stop signal reaches it directly.
 *
 * Why not a globalSetup: Playwright starts `webServer` before `globalSetup` runs, and the config
 * file is evaluated again in every worker process, so neither is a safe place to delete a
 * database the server already has open.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const E2E_TMP = path.join(ROOT, "tmp", "e2e");

const url = process.env.DATABASE_URL ?? "";
const dbFile = url.startsWith("file:") ? path.resolve(ROOT, url.slice(5)) : null;
// Guard: only ever wipe tmp/e2e, and only when the database really lives there.
if (!dbFile || !dbFile.startsWith(E2E_TMP + path.sep)) {
  console.error(`e2e/serve.mjs: DATABASE_URL must be a file under tmp/e2e (got "${url}")`);
  process.exit(1);
}
fs.rmSync(E2E_TMP, { recursive: true, force: true });
fs.mkdirSync(E2E_TMP, { recursive: true });

await import("../scripts/start.mjs");
