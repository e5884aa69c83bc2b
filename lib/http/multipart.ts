import { ApiError, badRequest } from "@/lib/http/errors";
import { readBodyBytes } from "@/lib/http/body";
import type { UploadedFile } from "@/lib/domain/recommendations/snapshots";

/**
 * Multipart uploads (HTTP only; the domain gets plain `UploadedFile`s): reads a request's files
 * (`files[]`, also `files` / `file`) with the 16 MB limit enforced while reading — also when no
 * Content-Length was sent — then parses the form.
 */

export const UPLOAD_FIELDS = ["files[]", "files", "file"];
export const MAX_FILES = 50;

export async function readUploadedFiles(req: Request): Promise<UploadedFile[]> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    throw new ApiError(400, "expected_multipart", "Expected a multipart/form-data upload with files[] (CSV files)");
  }
  const bytes = await readBodyBytes(req);
  let form: FormData;
  try {
    form = await new Response(bytes as BodyInit, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badRequest("The multipart body could not be read", undefined, "invalid_multipart");
  }
  const files: UploadedFile[] = [];
  for (const field of UPLOAD_FIELDS) {
    for (const entry of form.getAll(field)) {
      if (typeof entry === "string") continue;
      const buffer = Buffer.from(await entry.arrayBuffer());
      files.push({ name: entry.name || `upload-${files.length + 1}.csv`, text: buffer.toString("utf8"), size: buffer.byteLength });
    }
  }
  if (files.length === 0) throw badRequest("No files uploaded: send one or more CSV files as files[]", undefined, "no_files");
  if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} files per upload`, undefined, "too_many_files");
  return files;
}

/**
 * What an Idempotency-Key's request hash covers for a raw-body route: the body bytes, read from a
 * copy of the request (the handler still reads the original), bounded like any body. A multipart
 * body's boundary is left out: a client that retries by encoding the same form again picks a new
 * random boundary, and that is still the same request.
 */
export async function rawBodyHashText(req: Request): Promise<string> {
  const text = (await readBodyBytes(req.clone())).toString("latin1");
  const boundary = /boundary="?([^";]+)"?/i.exec(req.headers.get("content-type") ?? "")?.[1];
  return boundary ? text.split(boundary).join("") : text;
}
