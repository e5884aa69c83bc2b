import fs from "node:fs/promises";
import path from "node:path";
import { config } from "@/lib/config/env";

/**
 * The inbox folder (`INBOX_DIR`, default `data/inbox` under the working directory): files dropped
 * there are announced as `file.received` by the watcher and imported by the `import` subscriber,
 * which then moves each one into `processed/` or `failed/` beside them.
 */

export const DEFAULT_INBOX_DIR = "data/inbox";
export const PROCESSED_SUBDIR = "processed";
export const FAILED_SUBDIR = "failed";

export function inboxDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), config().INBOX_DIR.trim() || DEFAULT_INBOX_DIR);
}

export async function ensureInboxDirs(dir: string): Promise<void> {
  await fs.mkdir(path.join(dir, PROCESSED_SUBDIR), { recursive: true });
  await fs.mkdir(path.join(dir, FAILED_SUBDIR), { recursive: true });
}

/** Names of files still being written or not meant for us: hidden, editor/office locks, partial downloads. */
const PARTIAL_SUFFIX = /(\.(tmp|temp|part|partial|crdownload|download|filepart|swp|lock)|~)$/i;

export function isIgnoredInboxName(name: string): boolean {
  return name.startsWith(".") || name.startsWith("~$") || PARTIAL_SUFFIX.test(name);
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * Where a handled file goes: `<processed|failed>/<YYYYMMDD-HHMMSS>-<event id>_<name>` (server local
 * time, like snapshot keys). The event id makes the name unique even for two drops in one second.
 */
export function archivePath(dir: string, outcome: "processed" | "failed", name: string, eventId: number, at: Date): string {
  const stamp = `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
  return path.join(dir, outcome === "processed" ? PROCESSED_SUBDIR : FAILED_SUBDIR, `${stamp}-${eventId}_${name}`);
}

/** For a test delivery: the inbox and its subfolders exist (created if need be) and can be written. */
export async function checkInbox(dir = inboxDir()): Promise<{ ok: boolean; message: string }> {
  try {
    await ensureInboxDirs(dir);
    await fs.access(dir, fs.constants.R_OK | fs.constants.W_OK);
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const waiting = entries.filter((e) => e.isFile() && !isIgnoredInboxName(e.name)).length;
    return { ok: true, message: `Inbox ${dir} is ready: ${waiting} file${waiting === 1 ? "" : "s"} waiting` };
  } catch (err) {
    return { ok: false, message: `Inbox ${dir} is not usable: ${(err as Error).message}` };
  }
}
