import fs from "node:fs";
import path from "node:path";

/** The route tests' view of app/api: every route.ts on disk, walked independently of the app's own lists. */

export const API_DIR = path.resolve(__dirname, "../../app/api");
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every `route.ts` under `dir`, with its URL pattern as on disk (`/api/batch/[id]/counts`). */
export function findRoutes(dir = API_DIR, prefix = "/api"): { urlPattern: string; file: string }[] {
  const out: { urlPattern: string; file: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findRoutes(full, `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts") out.push({ urlPattern: prefix, file: full });
  }
  return out;
}
