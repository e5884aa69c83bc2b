import { createHash } from "node:crypto";

/** A secret's identity in `legacy_import_rows` (never the secret itself). */
export const legacyKeyOf = (secret: string) => createHash("sha256").update(secret).digest("hex").slice(0, 32);
