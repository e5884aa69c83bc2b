import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { route } from "@/lib/http/route";
import { db } from "@/lib/db/client";
import { notFound } from "@/lib/http/errors";

/**
 * A backup file's name as the backup job writes it (`preroll-<stamp>-<hex>.db.gz[.enc]`, `.pgdump.gz[.enc]` on PostgreSQL; see
 * backupFileName): letters, digits, `-`, `_` and `.` only, starting with a letter or digit — so
 * no separators, no `..`, and never the `.tmp-` files a running backup is still writing.
 */
const backupFileNameParams = z.strictObject({
  name: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "Not a backup file name")
    .refine((n) => !n.includes(".."), "Not a backup file name"),
});

/**
 * Streams one completed backup file (admin): `Content-Disposition: attachment`. Only a name the
 * `backups` table lists as completed is served, from the path that row recorded.
 */
export const GET = route({ auth: "session", role: "admin", params: backupFileNameParams }, async ({ params }) => {
  const backup = await db.backup.findFirst({ where: { file_name: params.name, status: "completed" } });
  // The row's path was written by the backup job itself; its file name must still be the one asked for.
  if (!backup || path.basename(backup.path) !== params.name) throw notFound("Backup not found", "backup_not_found");
  const stat = await fsp.stat(backup.path).catch(() => null);
  if (!stat?.isFile()) throw notFound("The backup file is no longer on disk", "backup_file_missing");
  const body = Readable.toWeb(fs.createReadStream(backup.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(stat.size),
      "content-disposition": `attachment; filename="${params.name}"`,
      "cache-control": "no-store",
      ...(backup.sha256 ? { "x-backup-sha256": backup.sha256 } : {}),
    },
  });
});
