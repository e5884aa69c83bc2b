/**
 * `npm run import-legacy -- <preroll_tracker.db> [--dry-run] [--merge] [--env FILE] [--json]`:
 * moves a PreRollTracker 2.0.0 database into this app (lib/domain/legacy-import/ does the work and
 * says what it keeps). Reads this app's .env like `npm start` (DATABASE_URL) and applies pending
 * migrations first, so it may run before the first start. Naive legacy timestamps are read in this
 * machine's time zone (TZ=Area/City overrides).
 * Exit 0 imported (or nothing new), 1 refused or failed (one line, no stack), 2 usage.
 */
import fs from "node:fs";
import path from "node:path";
import { loadAppEnv, parseCommandLine, userPath } from "./cli";

const USAGE = `usage: npm run import-legacy -- <preroll_tracker.db> [--dry-run] [--merge] [--env FILE] [--json]
  --dry-run   read and map everything, print the report, write nothing
  --merge     this database already holds data made here: add the legacy rows beside it
              (a legacy batch id / METRC number / hold id that exists here is kept as it is)
  --env FILE  the old deployment's .env with ADMIN_PASSWORD_HASH (default: a .env beside the database)
  --json      print the report as JSON`;

interface Args {
  file: string;
  dryRun: boolean;
  merge: boolean;
  env?: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args | null {
  const out: Args = { file: "", dryRun: false, merge: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dry-run" || a === "-n") out.dryRun = true;
    else if (a === "--merge") out.merge = true;
    else if (a === "--json") out.json = true;
    else if (a === "--env") {
      out.env = argv[++i];
      if (!out.env) throw new Error("--env needs a file");
    } else if (a.startsWith("--env=")) out.env = a.slice("--env=".length);
    else if (a === "--help" || a === "-h") return null;
    else if (a.startsWith("-") || out.file) throw new Error(`unexpected argument ${a}`);
    else out.file = a;
  }
  return out.file ? out : null;
}

async function main(): Promise<number> {
  const args = parseCommandLine(parseArgs, USAGE);
  if (args === 2) return 2;
  loadAppEnv();
  process.env.DATABASE_URL ||= "file:./data/preroll.db";
  const url = process.env.DATABASE_URL;
  if (url.startsWith("file:")) {
    const file = path.resolve(url.slice(5).replace(/\?.*$/, ""));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    process.env.DATABASE_URL = `file:${file}`;
  }

  // Imported after .env is loaded: the modules read DATABASE_URL when called.
  const { migrate } = await import("./migrate.mjs");
  await migrate({ databaseUrl: process.env.DATABASE_URL, log: (line: string) => console.error(`migrate: ${line}`) });
  const { importLegacyDatabase, ImportRefusedError } = await import("@/lib/domain/legacy-import/import-legacy");
  const { LegacyReadError } = await import("@/lib/domain/legacy-import/read-legacy");
  const { formatReport } = await import("@/lib/domain/legacy-import/report");
  const { db } = await import("@/lib/db/client");
  try {
    const report = await importLegacyDatabase(userPath(args.file), {
      dryRun: args.dryRun,
      merge: args.merge,
      envFile: args.env ? userPath(args.env) : undefined,
    });
    console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } catch (err) {
    if (err instanceof LegacyReadError || err instanceof ImportRefusedError) {
      console.error(`import-legacy: ${err.message}`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(`import-legacy: failed, nothing was written: ${process.env.DEBUG ? message : message.split("\n")[0]}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`import-legacy: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    process.exit(1);
  },
);
