/**
 * `npm run restore -- FILE [--yes] [--force] [--database PATH]`: puts a backup written by the
 * backups job back as the database (lib/domain/backups/restore-backup.ts does the work and says
 * what it checks). Stop the app first. Reads .env like `npm start` (BACKUP_ENCRYPTION_KEY,
 * DATABASE_URL). Without --yes it asks before replacing anything. Exit 0 restored, 1 refused or
 * failed (one line, no stack), 2 usage. A postgresql:// DATABASE_URL (or --database URL) is
 * restored with pg_restore; a backup of the other engine is refused.
 */
import path from "node:path";
import { loadAppEnv, parseCommandLine, userPath } from "./cli";
import { createInterface } from "node:readline/promises";

const USAGE = "usage: npm run restore -- FILE [--yes] [--force] [--database PATH|postgresql://URL]";

function parseArgs(argv: string[]) {
  const out = { file: "", yes: false, force: false, database: "" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--yes" || a === "-y") out.yes = true;
    else if (a === "--force") out.force = true;
    else if (a === "--database") out.database = argv[++i] ?? "";
    else if (a.startsWith("--database=")) out.database = a.slice("--database=".length);
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
  // Imported after .env is loaded: the modules read DATABASE_URL / BACKUP_* when called.
  const { restoreBackup } = await import("@/lib/domain/backups/restore-backup");
  const { BackupFileError } = await import("@/lib/domain/backups/backup-file");
  const { databaseFile } = await import("@/lib/domain/backups/config");
  const { databaseUrl, isPostgresUrl } = await import("@/lib/db/client");

  const confirm = async (plan: {
    file: string;
    database: string;
    encrypted: boolean;
    backup_started_at: string | null;
    restored_bytes: number;
    replaces_existing: boolean;
  }) => {
    console.log(
      `\nbackup:   ${plan.file}${plan.encrypted ? " (encrypted, authenticated)" : ""}${plan.backup_started_at ? `, written ${plan.backup_started_at}` : ""}`,
    );
    console.log(`database: ${plan.database} (${(plan.restored_bytes / 1e6).toFixed(2)} MB restored)`);
    if (!plan.replaces_existing) console.log("          (no database there yet)");
    if (args.yes) return true;
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    try {
      const answer = await rl.question(
        plan.replaces_existing ? "Replace the current database with this backup? [y/N] " : "Restore? [y/N] ",
      );
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };

  try {
    const database = args.database
      ? isPostgresUrl(args.database)
        ? args.database
        : path.resolve(process.env.INIT_CWD ?? process.cwd(), args.database)
      : isPostgresUrl(databaseUrl())
        ? databaseUrl()
        : databaseFile();
    // npm runs scripts in the app folder; a relative FILE means the caller's folder (INIT_CWD).
    const file = userPath(args.file);
    const result = await restoreBackup({ file, databasePath: database, force: args.force, confirm, log: (line) => console.log(line) });
    console.log(`\nrestored: ${result.database}${result.checksum_verified ? " (SHA-256 matches the backup record)" : ""}`);
    if (result.previous) console.log(`previous database kept as ${result.previous}`);
    console.log("start the app again (npm start, or systemctl start preroll-tracker); pending migrations run at start");
    return 0;
  } catch (err) {
    if (err instanceof BackupFileError) console.error(`restore refused: ${err.message}`);
    else console.error(`restore failed: ${(err as Error).message ?? String(err)}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
