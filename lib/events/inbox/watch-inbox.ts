import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { watch } from "chokidar";
import { db as defaultDb, type Db, type Tx } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { logger } from "@/lib/log";
import type { EventPayload } from "@/lib/events/catalogue";
import { answeredEventIds } from "@/lib/domain/imports/import-record";
import { ensureInboxDirs, FAILED_SUBDIR, inboxDir, isIgnoredInboxName, PROCESSED_SUBDIR } from "@/lib/events/inbox/inbox-dir";
import { config } from "@/lib/config/env";

/**
 * The inbox watcher (SPEC §4.2): every complete file that appears in the inbox folder is
 * announced once as `file.received` {name, path, size_bytes, sha256, modified_at}; the `import`
 * subscriber takes it from there (lib/domain/imports/import-file.ts).
 *
 * - Complete: chokidar's awaitWriteFinish reports a file only once its size has stayed the same
 *   for `stabilityMs`, so a slow copy is one event after the copy, not one per chunk. Names that
 *   say "still being written" (`*.tmp`, `*.part`, `.hidden`, `~$lock` …) and the processed/ and
 *   failed/ subfolders are ignored; a tool that writes `x.csv.part` and renames it is seen once.
 * - Files already in the inbox at start count as new (a drop while the worker was down).
 * - Never twice while the file sits in the inbox: see `waitingAnnouncement` below.
 * - A file rewritten in place (or replaced so fast that the folder never looked empty, which the
 *   file system reports as a change) is announced only when no import of that path is waiting:
 *   a waiting import reads the file as it is when it runs.
 */

export interface InboxWatcherOptions {
  /** Default: `INBOX_DIR` (data/inbox). Created with processed/ and failed/. */
  dir?: string;
  client?: Db;
  /** How long a file's size must not change before it counts as written (`INBOX_STABILITY_MS`, default 2000). */
  stabilityMs?: number;
  /** Poll instead of file-system events, for network shares (`INBOX_USE_POLLING=true`). */
  usePolling?: boolean;
  /** Told how each file went (tests wait on it; the worker logs anyway). */
  onFile?: (result: PublishResult) => void;
}

export type PublishResult =
  | { path: string; status: "published" | "duplicate"; eventId: number }
  | { path: string; status: "gone" }
  | { path: string; status: "error"; error: string };

export interface InboxWatcher {
  dir: string;
  /** Resolves once the initial scan is done (files found then are announced shortly after). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** How many of the latest file.received events the duplicate check reads. */
const DEDUPE_WINDOW = 2000;
/** Publishing retries (the database busy …); after these the file waits for the next start. */
const RETRY_DELAYS_MS = [1000, 5000, 15_000, 60_000];

class AlreadyAnnounced extends Error {
  constructor(readonly eventId: number) {
    super("already announced");
  }
}

type FilePayload = EventPayload<"file.received">;

/**
 * The duplicate check. A file's identity is path + size + modification time + SHA-256: a restart's
 * initial scan sees a waiting file unchanged, while a new drop under the same name has new
 * content or at least a new mtime. An earlier `file.received` with the same identity that no
 * import has answered yet (import-record.ts: answered = import.completed/failed written for it)
 * means the file is still waiting for that import: it is not announced again. An answered one
 * means its import moved the file away (or found it gone), so the same bytes appearing again are
 * a new drop and get a new event. `samePath` compares the path alone (a changed file). Only the
 * latest DEDUPE_WINDOW announcements are read (indexed by type, id): a file waiting behind more
 * drops than that is announced once more at a restart, not lost.
 */
async function waitingAnnouncement(tx: Tx, file: FilePayload, samePath: boolean): Promise<number | null> {
  const recent = await tx.event.findMany({
    where: { type: "file.received" },
    orderBy: { id: "desc" },
    take: DEDUPE_WINDOW,
    select: { id: true, payload: true },
  });
  const same = recent.filter((e) => {
    const p = e.payload as Partial<FilePayload>;
    if (p.path !== file.path) return false;
    return samePath || (p.size_bytes === file.size_bytes && p.sha256 === file.sha256 && p.modified_at === file.modified_at);
  });
  if (same.length === 0) return null;
  const answered = await answeredEventIds(
    tx,
    same.map((e) => e.id),
  );
  return same.find((e) => !answered.has(e.id))?.id ?? null;
}

async function sha256Of(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Announces one inbox file, unless it is already announced and waiting. `changed`: the file
 * system reported a change, not a new file (see the module comment).
 * The check and the emit are one transaction (one writer at a time: SQLite's BEGIN IMMEDIATE,
 * PostgreSQL's write lock in mutate), so two watchers
 * on one folder cannot both announce a file.
 */
export async function publishInboxFile(file: string, options: { client?: Db; changed?: boolean } = {}): Promise<PublishResult> {
  const abs = path.resolve(file);
  let payload: FilePayload;
  try {
    const stat = await fsp.stat(abs);
    if (!stat.isFile()) return { path: abs, status: "gone" };
    payload = {
      path: abs,
      name: path.basename(abs),
      size_bytes: stat.size,
      sha256: await sha256Of(abs),
      modified_at: stat.mtime.toISOString(),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { path: abs, status: "gone" };
    throw err;
  }
  try {
    const event = await mutate(
      systemContext("worker", "worker"),
      async (m) => {
        const waiting = await waitingAnnouncement(m.tx, payload, options.changed ?? false);
        if (waiting !== null) throw new AlreadyAnnounced(waiting);
        return m.emit("file.received", payload);
      },
      options.client ?? defaultDb,
    );
    return { path: abs, status: "published", eventId: event.id };
  } catch (err) {
    if (err instanceof AlreadyAnnounced) return { path: abs, status: "duplicate", eventId: err.eventId };
    throw err;
  }
}

export function startInboxWatcher(options: InboxWatcherOptions = {}): InboxWatcher {
  const dir = path.resolve(options.dir ?? inboxDir());
  const stabilityMs = options.stabilityMs ?? config().INBOX_STABILITY_MS;
  const usePolling = options.usePolling ?? config().INBOX_USE_POLLING;
  const stopping = new AbortController();
  let queue = Promise.resolve();
  let closeWatcher: () => Promise<void> = async () => undefined;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.signal.addEventListener("abort", done);
    });

  const handle = async (file: string, changed: boolean) => {
    for (let attempt = 0; ; attempt++) {
      if (stopping.signal.aborted) return;
      try {
        const result = await publishInboxFile(file, { client: options.client, changed });
        if (result.status === "published") logger.info({ file: result.path, event_id: result.eventId }, "inbox file received");
        else if (result.status === "duplicate")
          logger.debug({ file: result.path, event_id: result.eventId }, "inbox file already announced");
        options.onFile?.(result);
        return;
      } catch (err) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          logger.error({ err, file }, "inbox file could not be announced; it is tried again at the next start");
          options.onFile?.({ path: file, status: "error", error: (err as Error).message });
          return;
        }
        logger.warn({ err, file, retry_in_ms: delay }, "inbox file announcement failed");
        await sleep(delay);
      }
    }
  };

  const ready = (async () => {
    await ensureInboxDirs(dir);
    const skipDirs = new Set([path.join(dir, PROCESSED_SUBDIR), path.join(dir, FAILED_SUBDIR)]);
    const watcher = watch(dir, {
      ignoreInitial: false,
      depth: 0,
      usePolling,
      ...(usePolling ? { interval: 1000 } : {}),
      // Not "atomic" (which turns a removal and re-creation within 100 ms into a change): an add
      // is an add. A replacement faster than the watcher can see is still a change, handled above.
      atomic: false,
      awaitWriteFinish: { stabilityThreshold: stabilityMs, pollInterval: Math.max(50, Math.min(500, Math.round(stabilityMs / 4))) },
      ignored: (p, stats) => p !== dir && (skipDirs.has(p) || !!stats?.isDirectory() || isIgnoredInboxName(path.basename(p))),
    });
    closeWatcher = () => watcher.close();
    watcher.on("add", (file) => {
      queue = queue.then(() => handle(path.resolve(file), false));
    });
    watcher.on("change", (file) => {
      queue = queue.then(() => handle(path.resolve(file), true));
    });
    watcher.on("error", (err) => logger.error({ err, dir }, "inbox watcher error"));
    await new Promise<void>((resolve) => watcher.once("ready", resolve));
    logger.info({ dir, stability_ms: stabilityMs, polling: usePolling }, "inbox watcher started");
  })();
  // The caller may not wait for `ready`; a failure to start is logged either way.
  ready.catch((err: unknown) => logger.error({ err, dir }, "inbox watcher could not start"));

  return {
    dir,
    ready,
    async stop() {
      stopping.abort();
      await ready.catch(() => undefined);
      await closeWatcher();
      await queue;
    },
  };
}
