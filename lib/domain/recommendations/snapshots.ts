import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { db, type Tx } from "@/lib/db/client";
import { mutate, type Mutation } from "@/lib/db/mutate";
import { ApiError, notFound } from "@/lib/http/errors";
import type { RecommendationSnapshot } from "@/lib/generated/prisma/client";
import { parseSalesCsv, type CsvRowError, type SalesRow } from "@/lib/domain/recommendations/sales-csv";
import { computeRecommendations, type SnapshotData } from "@/lib/domain/recommendations/formulas";
import { dict } from "@/lib/safe-keys";
import type { SnapshotHistoryResponse, SnapshotResponse, UploadResponse } from "@/lib/domain/recommendations/recommendation-response";

/**
 * Snapshots: each upload of store sales CSVs becomes one `RecommendationSnapshot`, keyed by a
 * timestamp `YYYYMMDD_HHMMSS` (server local time, like the old system's keys; a second upload in
 * the same second takes the next free second). All or nothing: one bad row in any file and the
 * upload is refused with every problem listed, and nothing is saved.
 */

/** One uploaded CSV file, as lib/http/multipart.ts reads it from the request. */
export interface UploadedFile {
  name: string;
  text: string;
  size: number;
}

export const TIMESTAMP_PATTERN = /^\d{8}_\d{6}$/;
export const timestampSchema = z.string().trim().regex(TIMESTAMP_PATTERN, "Expected a snapshot timestamp like 20261124_103000");
/** Errors listed in a refused upload's details (the total is always given). */
export const MAX_REPORTED_ERRORS = 500;

const pad = (n: number) => String(n).padStart(2, "0");
export function snapshotTimestamp(at: Date): string {
  return `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}_${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`;
}

async function freeTimestamp(tx: Pick<Tx, "recommendationSnapshot">, at: Date): Promise<string> {
  for (let i = 0; i < 3600; i++) {
    const ts = snapshotTimestamp(new Date(at.getTime() + i * 1000));
    if (!(await tx.recommendationSnapshot.findUnique({ where: { timestamp: ts }, select: { id: true } }))) return ts;
  }
  throw new ApiError(409, "conflict", "Too many snapshots in the last hour");
}

/** Parses every file; throws the all-or-nothing 400 when any row of any file is bad. */
export function parseUpload(files: UploadedFile[]): SalesRow[] {
  const errors: CsvRowError[] = [];
  const rows: SalesRow[] = [];
  // Keyed by uploaded file names, which the client chooses ("__proto__.csv" is fine, "__proto__" too).
  const ignored = dict<string[]>();
  for (const f of files) {
    const parsed = parseSalesCsv(f.name, f.text);
    errors.push(...parsed.errors);
    rows.push(...parsed.rows);
    if (parsed.ignored_columns.length) ignored[f.name] = parsed.ignored_columns;
  }
  if (errors.length) {
    const rowsAffected = new Set(errors.map((e) => `${e.file}:${e.line}`)).size;
    throw new ApiError(
      400,
      "invalid_csv",
      `The upload has ${rowsAffected} invalid row${rowsAffected === 1 ? "" : "s"}; nothing was saved`,
      {
        error_count: errors.length,
        errors: errors.slice(0, MAX_REPORTED_ERRORS),
        truncated: errors.length > MAX_REPORTED_ERRORS,
        ...(Object.keys(ignored).length ? { ignored_columns: ignored } : {}),
      },
    );
  }
  return rows;
}

/** Writes the snapshot of parsed rows inside the caller's mutation (the upload route, the inbox import). */
export async function writeSnapshot(m: Mutation, rows: SalesRow[], fileNames: string[]): Promise<RecommendationSnapshot> {
  const { combined, stores, store_names } = computeRecommendations(rows);
  const data: SnapshotData = { combined, stores };
  const timestamp = await freeTimestamp(m.tx, m.now);
  const s = await m.tx.recommendationSnapshot.create({
    data: {
      timestamp,
      files_processed: fileNames,
      strain_count: combined.length,
      store_count: store_names.length,
      data: data as object,
      uploaded_by: m.ctx.actor,
      created_at: m.now,
    },
  });
  await m.audit({
    entity: "recommendation_snapshot",
    entityId: timestamp,
    label: `${fileNames.length} file${fileNames.length === 1 ? "" : "s"}`,
    before: null,
    after: { files_processed: fileNames, strain_count: s.strain_count, store_count: s.store_count, rows: rows.length },
  });
  await m.emit("snapshot.created", { timestamp, strain_count: s.strain_count, store_count: s.store_count });
  return s;
}

export async function createSnapshotFromUpload(ctx: ActorContext, files: UploadedFile[]): Promise<UploadResponse> {
  const rows = parseUpload(files);
  const fileNames = files.map((f) => f.name);
  const snapshot = await mutate(ctx, (m) => writeSnapshot(m, rows, fileNames));
  return {
    success: true as const,
    strain_count: snapshot.strain_count,
    store_count: snapshot.store_count,
    timestamp: snapshot.timestamp,
    rows_processed: rows.length,
    files_processed: fileNames,
  };
}

function serialize(s: RecommendationSnapshot): SnapshotResponse {
  return {
    timestamp: s.timestamp,
    files_processed: s.files_processed as string[],
    strain_count: s.strain_count,
    store_count: s.store_count,
    uploaded_by: s.uploaded_by,
    created_at: s.created_at.toISOString(),
    data: s.data as unknown as SnapshotData,
  };
}

export async function loadSnapshot(timestamp: string): Promise<SnapshotResponse> {
  const s = await db.recommendationSnapshot.findUnique({ where: { timestamp } });
  if (!s) throw notFound("Snapshot not found", "snapshot_not_found");
  return serialize(s);
}

/** `GET /api/recommendations`: the latest snapshot; 404 before the first upload. */
export async function latestSnapshot(): Promise<SnapshotResponse> {
  const s = await db.recommendationSnapshot.findFirst({ orderBy: [{ created_at: "desc" }, { id: "desc" }] });
  if (!s) throw notFound("No recommendations yet: upload store sales CSVs first", "no_snapshots");
  return serialize(s);
}

export const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** `GET /api/snapshots/history`: newest first. */
export async function snapshotHistory(limit = 100): Promise<SnapshotHistoryResponse> {
  const rows = await db.recommendationSnapshot.findMany({
    orderBy: [{ created_at: "desc" }, { id: "desc" }],
    take: limit,
    select: { timestamp: true, files_processed: true, strain_count: true, store_count: true, uploaded_by: true, created_at: true },
  });
  return {
    snapshots: rows.map((r) => ({
      timestamp: r.timestamp,
      files_processed: r.files_processed as string[],
      strain_count: r.strain_count,
      store_count: r.store_count,
      uploaded_by: r.uploaded_by,
      created_at: r.created_at.toISOString(),
    })),
  };
}
