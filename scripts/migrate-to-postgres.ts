/**
 * `npm run migrate-to-postgres -- --to postgresql://user@host/db [--from file:./data/preroll.db] [--yes]`:
 * copies this app's SQLite database into an empty PostgreSQL database, every table with its ids,
 * and sets the sequences (lib/db/copy-to-postgres/ does the work and says what it checks). Stop
 * the app first. --from defaults to DATABASE_URL from .env when that is a file: URL, else
 * file:./data/preroll.db. Without --yes it asks before writing.
 * Exit 0 copied, 1 refused or failed (one line, nothing copied), 2 usage.
 */
import path from "node:path";
import { loadAppEnv, parseCommandLine, userPath } from "./cli";
import { createInterface } from "node:readline/promises";

const USAGE = `usage: npm run migrate-to-postgres -- --to postgresql://USER@HOST/DB [--from file:./data/preroll.db] [--yes]
  --from  the SQLite database (a file: URL as in DATABASE_URL, or a path); default: DATABASE_URL from .env
  --to    an empty PostgreSQL database (created when missing); its migrations are applied first
  --yes   do not ask before copying`;

function parseArgs(argv: string[]) {
  const out = { from: "", to: "", yes: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string) => {
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      const next = argv[++i];
      if (!next) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (a === "--yes" || a === "-y") out.yes = true;
    else if (a === "--from" || a.startsWith("--from=")) out.from = value("--from");
    else if (a === "--to" || a.startsWith("--to=")) out.to = value("--to");
    else if (a === "--help" || a === "-h") return null;
    else throw new Error(`unexpected argument ${a}`);
  }
  return out.to ? out : null;
}

/**
 * `file:./x.db` resolves like the app's DATABASE_URL (from the app folder, where npm runs this);
 * a bare path is the caller's, like other commands' FILE arguments (INIT_CWD under npm).
 */
function sqliteFile(from: string): string {
  if (from.startsWith("file:")) return path.resolve(from.slice("file:".length).replace(/\?.*$/, ""));
  return userPath(from);
}

async function main(): Promise<number> {
  const args = parseCommandLine(parseArgs, USAGE);
  if (args === 2) return 2;
  loadAppEnv();
  const configured = process.env.DATABASE_URL ?? "";
  const from = args.from || (configured.startsWith("file:") ? configured : "file:./data/preroll.db");

  const { copySqliteToPostgres, CopyRefusedError, displayUrl } = await import("@/lib/db/copy-to-postgres");
  const yes = args.yes;
  const confirm = async (plan: { sqliteFile: string; target: string; rows: number }) => {
    console.log(`from: ${plan.sqliteFile} (${plan.rows} rows)\nto:   ${plan.target} (empty; PostgreSQL migrations applied first)`);
    if (yes) return true;
    if (!process.stdin.isTTY) throw new CopyRefusedError("not asking without a terminal; add --yes to copy");
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return /^y(es)?$/i.test((await rl.question("Copy? [y/N] ")).trim());
    } finally {
      rl.close();
    }
  };
  try {
    const result = await copySqliteToPostgres({
      sqliteFile: sqliteFile(from),
      targetUrl: args.to,
      migrationsDir: path.resolve("prisma", "migrations"),
      confirm,
      log: (line) => console.log(line),
    });
    if (!result) {
      console.log("nothing copied");
      return 1;
    }
    const width = Math.max(...result.tables.map((t) => t.table.length));
    for (const t of result.tables) console.log(`  ${t.table.padEnd(width)}  ${String(t.rows).padStart(8)}`);
    console.log(`copied ${result.rows} rows in ${result.tables.length} tables in ${(result.ms / 1000).toFixed(2)} s`);
    console.log(`now set DATABASE_URL=${displayUrl(args.to)} in .env and start the app`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof CopyRefusedError) console.error(`migrate-to-postgres refused: ${message}`);
    else console.error(`migrate-to-postgres failed, nothing was copied: ${process.env.DEBUG ? message : message.split("\n")[0]}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
