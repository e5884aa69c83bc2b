import { spawn } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import pg from "pg";
import { ident } from "@/lib/db/copy-to-postgres/checks";
import { setSequenceAfterMax } from "@/lib/db/copy-to-postgres/copy-rows";
import { displayUrl } from "@/lib/db/copy-to-postgres/index";
import { readPgCatalog } from "@/lib/db/copy-to-postgres/plan";
import { BackupFileError, PGDUMP_MAGIC, extractBackup } from "@/lib/domain/backups/backup-file";
import { inspectBackupFor, refuseWhileAppRuns, verifyBackupChecksum } from "@/lib/domain/backups/restore-checks";

/**
 * Backups and restore on PostgreSQL (issue [12]): the payload is `pg_dump -Fc -Z0` (a consistent
 * snapshot while the app keeps writing), streamed through the same gzip + AES-256-GCM file format
 * as SQLite backups (backup-file.ts; -Z0 because the gzip step compresses once). Restore is
 * `pg_restore --clean --if-exists --no-owner` in one transaction, then every serial sequence is
 * moved past max(id) — the events sequence also past the replaced database's last id, so feed
 * cursors and webhook ids never see an id twice (as the SQLite restore does).
 */

/** Query parameters Prisma understands and libpq refuses ("invalid URI query parameter"). */
const PRISMA_ONLY_PARAMS = ["schema", "connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size", "socket_timeout"];

/** DATABASE_URL as pg_dump / pg_restore / node-postgres take it, and its Prisma `?schema=`. */
export function libpqTarget(url: string): { url: string; schema: string | null } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema");
  for (const p of PRISMA_ONLY_PARAMS) u.searchParams.delete(p);
  return { url: u.toString(), schema: schema && schema !== "public" ? schema : null };
}

/**
 * Runs `fn` with a URL for a PostgreSQL client tool that carries no password: a password moves
 * into a temporary passfile (libpq's `passfile` parameter, mode 0600), so it never shows in the
 * process list (`ps`) while the dump or restore runs.
 */
async function withToolUrl<T>(url: string, fn: (toolUrl: string) => Promise<T>): Promise<T> {
  const u = new URL(url);
  if (!u.password) return fn(url);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "preroll-pgpass-"));
  try {
    const passfile = path.join(dir, "pgpass");
    const escape = (v: string) => v.replace(/[\\:]/g, (c) => `\\${c}`);
    await fsp.writeFile(passfile, `*:*:*:*:${escape(decodeURIComponent(u.password))}\n`, { mode: 0o600 });
    u.password = "";
    u.searchParams.set("passfile", passfile);
    return await fn(u.toString());
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function notInstalled(tool: string): Error {
  return new Error(
    `${tool} was not found on PATH: install the PostgreSQL client tools of the server's major version (Debian: apt-get install postgresql-client-15)`,
  );
}

/** Runs a PostgreSQL client tool; stdout to `stdout` when given, else collected. Rejects with its stderr. */
function runTool(tool: string, args: string[], stdout?: (out: NodeJS.ReadableStream) => Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    let out = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err = (err + d).slice(-4000)));
    const piping = stdout
      ? stdout(child.stdout)
      : new Promise<void>((done) =>
          child.stdout
            .setEncoding("utf8")
            .on("data", (d: string) => (out += d))
            .on("end", done),
        );
    let spawnError: Error | null = null;
    child.on("error", (e: NodeJS.ErrnoException) => (spawnError = e.code === "ENOENT" ? notInstalled(tool) : e));
    child.on("close", (code) => {
      if (spawnError) return reject(spawnError);
      if (code !== 0)
        return reject(new Error(`${tool} failed (exit ${code}): ${err.trim().split("\n").slice(-3).join(" / ") || "no message"}`));
      piping.then(() => resolve(out), reject);
    });
  });
}

/** `pg_dump -Fc` of `databaseUrl`, gzipped into `destGz`. Returns the dump's size (uncompressed). */
export async function dumpPostgres(databaseUrl: string, destGz: string): Promise<number> {
  const target = libpqTarget(databaseUrl);
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await withToolUrl(target.url, (url) => {
    const args = ["--format=custom", "--compress=0", "--dbname", url, ...(target.schema ? ["--schema", target.schema] : [])];
    return runTool("pg_dump", args, (out) =>
      pipeline(out, count, zlib.createGzip({ level: 6 }), fs.createWriteStream(destGz, { mode: 0o600 })),
    );
  });
  return bytes;
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const target = libpqTarget(databaseUrl);
  const client = new pg.Client({ connectionString: target.url, options: "-c timezone=UTC" });
  await client.connect();
  if (target.schema) await client.query(`SET search_path TO ${ident(target.schema)}`);
  return client;
}

export interface PostgresRestoreOptions {
  file: string;
  databaseUrl: string;
  key: string | null;
  force: boolean;
  confirm?: (plan: PostgresRestorePlan) => boolean | Promise<boolean>;
  now: Date;
  log: (line: string) => void;
}

export interface PostgresRestorePlan {
  file: string;
  /** The target database's URL without its password. */
  database: string;
  encrypted: boolean;
  backup_started_at: string | null;
  restored_bytes: number;
  replaces_existing: boolean;
}

export interface PostgresRestoreResult extends PostgresRestorePlan {
  previous: null;
  sha256: string;
  checksum_verified: boolean;
  warnings: string[];
}

interface CurrentFacts {
  heartbeatAgeMs: number | null;
  row: { sha256: string | null; started_at: string | null } | null;
  eventFloor: number;
  otherSessions: number;
  hasTables: boolean;
}

async function hasTable(client: pg.Client, name: string): Promise<boolean> {
  const { rows } = await client.query("SELECT to_regclass($1) IS NOT NULL AS present", [ident(name)]);
  return rows[0].present as boolean;
}

/** What the database about to be replaced says: worker heartbeat, this file's row, last event id, other sessions. */
async function readCurrent(client: pg.Client, fileName: string, now: Date): Promise<CurrentFacts> {
  const facts: CurrentFacts = { heartbeatAgeMs: null, row: null, eventFloor: 0, otherSessions: 0, hasTables: false };
  const sessions = await client.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
  );
  facts.otherSessions = sessions.rows[0].n as number;
  if (await hasTable(client, "worker_heartbeats")) {
    // Timestamps are UTC wall time (timestamp without time zone); compared in the database.
    const { rows } = await client.query(
      "SELECT (EXTRACT(EPOCH FROM (to_timestamp($1::double precision / 1000) AT TIME ZONE 'UTC') - MAX(beat_at)) * 1000)::float8 AS age FROM worker_heartbeats",
      [now.getTime()],
    );
    facts.heartbeatAgeMs = rows[0].age as number | null;
  }
  if (await hasTable(client, "backups")) {
    facts.hasTables = true;
    const { rows } = await client.query(
      `SELECT sha256, to_char(started_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS started_at FROM backups WHERE file_name = $1`,
      [fileName],
    );
    if (rows[0]) facts.row = { sha256: rows[0].sha256 as string | null, started_at: rows[0].started_at as string | null };
  }
  if (await hasTable(client, "events")) {
    const { rows } = await client.query(
      `SELECT GREATEST(COALESCE((SELECT MAX(id) FROM events), 0),
                       COALESCE(pg_sequence_last_value(pg_get_serial_sequence('"events"', 'id')::regclass), 0))::bigint AS floor`,
    );
    facts.eventFloor = Number(rows[0].floor);
  }
  return facts;
}

/** The dump's table of contents must name this app's tables (and pg_restore must be able to read it). */
async function verifyDump(file: string): Promise<void> {
  const fh = await fsp.open(file, "r");
  const head = Buffer.alloc(PGDUMP_MAGIC.length);
  try {
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (!head.equals(PGDUMP_MAGIC))
    throw new BackupFileError("not_a_backup", "Not a PreRoll Tracker backup: its content is not a pg_dump archive");
  let toc: string;
  try {
    toc = await runTool("pg_restore", ["--list", file]);
  } catch (err) {
    throw new BackupFileError("integrity_failed", `pg_restore cannot read the dump: ${(err as Error).message}`);
  }
  const tables = new Set([...toc.matchAll(/ TABLE (?:\S+) (\S+) /g)].map((m) => m[1]));
  if (!tables.has("_prisma_migrations") || !tables.has("batches")) {
    throw new BackupFileError("not_a_backup", "Not a PreRoll Tracker backup: the dump inside has no PreRoll Tracker tables");
  }
}

export async function restorePostgresBackup(options: PostgresRestoreOptions): Promise<PostgresRestoreResult> {
  const { file, databaseUrl, key, log } = options;
  const warnings: string[] = [];
  const warn = (line: string) => {
    warnings.push(line);
    log(`warning: ${line}`);
  };
  const info = await inspectBackupFor("postgresql", file, key);

  const client = await connect(databaseUrl);
  const tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), "preroll-restore-"));
  try {
    const current = await readCurrent(client, path.basename(file), options.now);
    refuseWhileAppRuns(
      {
        heartbeatAgeMs: current.heartbeatAgeMs,
        otherUse: current.otherSessions > 0 ? `${current.otherSessions} other session(s) are connected to the database` : null,
      },
      { force: options.force, warn },
    );
    const { sha256, checksumVerified } = await verifyBackupChecksum(file, current.row?.sha256, log);

    const dump = path.join(tmpDir, "restore.pgdump");
    log(info.kind === "encrypted" ? "decrypting and decompressing" : "decompressing");
    await extractBackup(file, dump, key);
    await verifyDump(dump);

    const plan: PostgresRestorePlan = {
      file,
      database: displayUrl(databaseUrl),
      encrypted: info.kind === "encrypted",
      backup_started_at: current.row?.started_at ?? null,
      restored_bytes: (await fsp.stat(dump)).size,
      replaces_existing: current.hasTables,
    };
    if (options.confirm && !(await options.confirm(plan))) throw new BackupFileError("cancelled", "Restore cancelled; nothing was changed");

    log("pg_restore --clean --if-exists --no-owner (one transaction)");
    // One transaction: a failing restore leaves the current database as it was.
    await withToolUrl(libpqTarget(databaseUrl).url, (url) =>
      runTool("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--dbname", url, dump]),
    );
    await fixUp(client, path.basename(file), sha256, info.size, info.kind === "encrypted", current.eventFloor);
    return { ...plan, previous: null, sha256, checksum_verified: checksumVerified, warnings };
  } finally {
    await client.end().catch(() => undefined);
    await fsp.rm(tmpDir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The restored backup's own row (dumped while `running`) completed; every serial sequence past max(id). */
async function fixUp(
  client: pg.Client,
  fileName: string,
  sha256: string,
  size: number,
  encrypted: boolean,
  eventFloor: number,
): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(
      "UPDATE backups SET status = 'completed', sha256 = $1, size_bytes = $2, encrypted = $3, finished_at = COALESCE(finished_at, started_at) WHERE file_name = $4 AND status = 'running'",
      [sha256, size, encrypted, fileName],
    );
    for (const [table, facts] of await readPgCatalog(client)) {
      for (const column of facts.sequenced) await setSequenceAfterMax(client, table, column, table === "events" ? eventFloor : 0);
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  }
}
