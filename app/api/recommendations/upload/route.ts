import { route } from "@/lib/http/route";
import { readUploadedFiles } from "@/lib/http/multipart";
import { createSnapshotFromUpload } from "@/lib/domain/recommendations/snapshots";
import { uploadResponseSchema } from "@/lib/domain/recommendations/recommendation-response";

/**
 * Store sales CSVs (multipart `files[]`) → a new snapshot: `{success, strain_count, store_count,
 * timestamp}` (contract). Accepted columns: README "Store sales CSV". All or nothing: any bad row
 * → 400 `invalid_csv` with `details.errors[{file, line, column, message}]`, nothing saved.
 */
export const POST = route(
  { response: uploadResponseSchema, contract: true, auth: "session", role: "operator", rawBody: true },
  async ({ req, ctx }) => createSnapshotFromUpload(ctx, await readUploadedFiles(req)),
);
