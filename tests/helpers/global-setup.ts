import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Once per run: migrate a template SQLite file with the real migrations (scripts/migrate.mjs).
 * Every test file then copies it (tests/helpers/setup-db.ts): a real database per file, in ms.
 */
export default function globalSetup({ provide }: { provide: (key: string, value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preroll-test-"));
  const template = path.join(dir, "template.db");
  execFileSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "scripts/migrate.mjs"], {
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  provide("templateDb", template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}
