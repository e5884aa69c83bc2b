import fs from "node:fs/promises";
import path from "node:path";
import { db as defaultDb, type Db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { newTraceId, type ActorContext } from "@/lib/context";
import { eventCatalogue, type EventEnvelope } from "@/lib/events/catalogue";
import { isExpectedError } from "@/lib/http/errors";
import { archivePath, inboxDir } from "@/lib/events/inbox/inbox-dir";
import { ImportError } from "@/lib/domain/imports/csv-table";
import { prepareImport } from "@/lib/domain/imports/detect-target";
import { AlreadyAnswered, findImportRecord, recordImportOutcome, type ImportRecord } from "@/lib/domain/imports/import-record";
import {
  TARGET_LABELS,
  type ImportSummary,
  type ImportTarget,
  type ImportTargetSetting,
  type PreparedImport,
} from "@/lib/domain/imports/types";

/**
 * Imports the file of one `file.received` event (the `import` subscriber kind):
 *
 * 1. Already answered (import-record.ts)? Then only finish moving the file if a crash interrupted
 *    that, and change nothing — redelivery is harmless.
 * 2. Read and check the whole file; any problem → nothing applied, `import.failed` naming the row,
 *    the file moved to `failed/`. Such a file would fail the same way again, so this is a
 *    completed delivery, not a retry.
 * 3. Apply every row, the answer and `import.completed` in ONE `mutate`: all or nothing.
 * 4. Move the file to `processed/`.
 *
 * Anything else that goes wrong (the file locked or unreadable, the database busy, the move
 * failing) is thrown: the delivery fails and is retried, and step 1 keeps the retry from
 * importing twice. A file gone from the inbox before it was imported is answered with
 * `import.failed` (so the same file dropped again is announced again, see watch-inbox.ts).
 */

/** The upload limit of the HTTP API (SPEC §3), for files too. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
const MAX_LISTED = 20;
/** A message quotes the bad cell: a huge one must not make a huge event. */
const MAX_MESSAGE = 500;
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

export class TransientImportError extends Error {}

export type ImportOutcome =
  | { status: "completed"; file: string; target: ImportTarget; summary: ImportSummary; moved_to: string }
  | { status: "failed"; file: string; target: ImportTarget | null; error: string; row: number | null; moved_to: string | null }
  | { status: "already_handled"; file: string; record: ImportRecord }
  | { status: "ignored"; reason: string };

export interface ImportFileInput {
  /** A `file.received` envelope. */
  envelope: EventEnvelope;
  target: ImportTargetSetting;
  /** Default: `INBOX_DIR` (inbox-dir.ts). */
  dir?: string;
  client?: Db;
}

interface Failure {
  target: ImportTarget | null;
  error: string;
  row?: number | null;
  problems?: string[];
  /** Move the file to failed/ (false: it is gone, or not ours to move). */
  move: boolean;
}

export async function importInboxFile(input: ImportFileInput): Promise<ImportOutcome> {
  const client = input.client ?? defaultDb;
  const parsed = eventCatalogue["file.received"].safeParse(input.envelope.payload);
  if (!parsed.success) return { status: "ignored", reason: "not a file.received payload" };
  const eventId = input.envelope.id;
  const { name } = parsed.data;
  const file = path.resolve(parsed.data.path);
  const dir = path.resolve(input.dir ?? inboxDir());
  // The import's changes carry the file event's trace: the event log shows the whole story.
  const ctx: ActorContext = { actor: "worker", source: "worker", traceId: input.envelope.metadata.traceId || newTraceId() };
  const now = new Date();

  const fail = async (failure: Failure): Promise<ImportOutcome> => {
    const f = { ...failure, error: clip(failure.error), problems: (failure.problems ?? [failure.error]).map(clip) };
    const movedTo = f.move ? archivePath(dir, "failed", name, eventId, now) : null;
    try {
      await mutate(
        ctx,
        async (m) => {
          await recordImportOutcome(m, eventId, name, {
            status: "failed",
            target: f.target,
            error: f.error,
            row: f.row ?? null,
            moved_to: movedTo,
          });
          await m.emit("import.failed", {
            file: name,
            kind: f.target,
            error: f.error,
            target: f.target,
            row: f.row ?? null,
            problems: f.problems.slice(0, MAX_LISTED),
            error_count: f.problems.length,
            source_event_id: eventId,
            moved_to: movedTo,
          });
        },
        client,
      );
    } catch (err) {
      if (err instanceof AlreadyAnswered) return { status: "already_handled", file: name, record: err.record };
      throw err;
    }
    if (movedTo) await moveFile(file, movedTo);
    return { status: "failed", file: name, target: f.target, error: f.error, row: f.row ?? null, moved_to: movedTo };
  };

  // 1. Answered before: finish an interrupted move, change nothing.
  const record = await findImportRecord(client, eventId);
  if (record) {
    if (record.moved_to) await moveFile(file, record.moved_to);
    return { status: "already_handled", file: name, record };
  }
  const fixedTarget = input.target === "auto" ? null : input.target;
  if (path.dirname(file) !== dir) {
    return fail({ target: fixedTarget, error: `${file} is not in the inbox folder ${dir}: not imported`, move: false });
  }

  // 2. Read and check.
  const read = await readInboxFile(file);
  if (read.kind === "gone")
    return fail({
      target: fixedTarget,
      error: "The file is no longer in the inbox (moved or deleted before it was imported)",
      move: false,
    });
  if (read.kind === "problem") return fail({ target: fixedTarget, error: read.problem, move: true });
  let prepared: PreparedImport;
  try {
    prepared = prepareImport(input.target, name, read.text);
  } catch (err) {
    if (err instanceof ImportError)
      return fail({ target: err.target, error: err.message, row: err.row, problems: err.problems, move: true });
    throw err;
  }

  // 3. Apply, all or nothing.
  const movedTo = archivePath(dir, "processed", name, eventId, now);
  let summary: ImportSummary;
  try {
    summary = await mutate(
      ctx,
      async (m) => {
        const answered = await findImportRecord(m.tx, eventId);
        if (answered) throw new AlreadyAnswered(answered);
        const s = await prepared.apply(m);
        const warnings =
          s.warnings.length > MAX_LISTED
            ? [...s.warnings.slice(0, MAX_LISTED), `… and ${s.warnings.length - MAX_LISTED} more`]
            : s.warnings;
        await recordImportOutcome(m, eventId, name, {
          status: "completed",
          target: prepared.target,
          rows: s.rows,
          created: s.created,
          updated: s.updated,
          skipped: s.skipped,
          moved_to: movedTo,
        });
        await m.emit("import.completed", {
          file: name,
          kind: prepared.target,
          rows_ok: s.rows,
          rows_failed: 0,
          target: prepared.target,
          rows: s.rows,
          created: s.created,
          updated: s.updated,
          skipped: s.skipped,
          ...(warnings.length ? { warnings } : {}),
          ...(s.snapshot_timestamp ? { snapshot_timestamp: s.snapshot_timestamp } : {}),
          source_event_id: eventId,
          moved_to: movedTo,
        });
        return s;
      },
      client,
    );
  } catch (err) {
    if (err instanceof AlreadyAnswered) return { status: "already_handled", file: name, record: err.record };
    if (err instanceof ImportError)
      return fail({ target: prepared.target, error: err.message, row: err.row, problems: err.problems, move: true });
    // The domain refusing a row (an expected error: 400/404/409) is the file's fault; anything else may pass.
    if (isExpectedError(err)) return fail({ target: prepared.target, error: err.message, move: true });
    throw err;
  }

  // 4. Out of the inbox.
  await moveFile(file, movedTo);
  return { status: "completed", file: name, target: prepared.target, summary, moved_to: movedTo };
}

type ReadResult = { kind: "gone" } | { kind: "problem"; problem: string } | { kind: "text"; text: string };

async function readInboxFile(file: string): Promise<ReadResult> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return { kind: "problem", problem: "Not a regular file" };
    if (stat.size > MAX_IMPORT_BYTES) return { kind: "problem", problem: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB` };
    bytes = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { kind: "gone" };
    throw new TransientImportError(`Cannot read ${path.basename(file)} yet: ${(err as Error).message}`);
  }
  if (bytes.includes(0)) return { kind: "problem", problem: "Not a CSV file: it contains binary data (export the sheet as CSV)" };
  return { kind: "text", text: bytes.toString("utf8") };
}

/** Moves a handled file; already moved (or removed) is fine, anything else is retried. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new TransientImportError(`Could not move ${path.basename(from)} to ${path.dirname(to)}: ${(err as Error).message}`);
  }
}

/** One line for the delivery's attempt log. */
export function describeOutcome(o: ImportOutcome): string {
  switch (o.status) {
    case "completed": {
      const s = o.summary;
      return `Imported ${o.file} as ${TARGET_LABELS[o.target]}: ${s.rows} row${s.rows === 1 ? "" : "s"} (${s.created} created, ${s.updated} updated, ${s.skipped} skipped) → ${o.moved_to}`;
    }
    case "failed":
      return `Not imported ${o.file}: ${o.error}${o.moved_to ? ` → ${o.moved_to}` : ""}`;
    case "already_handled":
      return `${o.file} was already ${o.record.status === "completed" ? "imported" : "refused"}: nothing to do`;
    case "ignored":
      return `Ignored: ${o.reason}`;
  }
}
