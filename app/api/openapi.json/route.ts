import { route } from "@/lib/http/route";
import { openApiDocument } from "@/lib/http/openapi/document";

/**
 * The OpenAPI 3.1 document of this API (lib/http/openapi/document.ts), generated from the routes'
 * own zod schemas. Rendered for people at /api-docs; clients/typescript/ has types generated from it.
 */
export const GET = route({ auth: "key|session", role: "viewer" }, () => openApiDocument());
