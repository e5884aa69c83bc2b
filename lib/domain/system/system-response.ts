import { z } from "zod";

/** Response schemas of the system routes (version, health). Zod only. */

/** GET /api/version: package.json's version. */
export const versionResponseSchema = z.object({ version: z.string() });
