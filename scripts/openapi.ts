/**
 * `npm run openapi`: regenerates everything derived from the routes, in order —
 *   1. lib/http/openapi/route-registry.ts (every app/api/**\/route.ts; picks up new routes),
 *   2. clients/typescript/openapi.json (the document, as `GET /api/openapi.json` serves it),
 *   3. clients/typescript/schema.d.ts (openapi-typescript types for integrators).
 * tests/integration/openapi.test.ts and openapi-client.test.ts fail when any of them is stale.
 */
import fs from "node:fs";
import { writeRegistry } from "./openapi/registry";

async function main() {
  console.log(writeRegistry() ? "route-registry.ts: updated" : "route-registry.ts: up to date");
  // Imported only after the registry is written (files.ts → document.ts → the registry), so the
  // document sees the new routes in this same run.
  const { DOCUMENT_FILE, TYPES_FILE, renderDocument, renderTypes } = await import("./openapi/files");
  const doc = renderDocument();
  fs.writeFileSync(DOCUMENT_FILE, doc);
  fs.writeFileSync(TYPES_FILE, await renderTypes(JSON.parse(doc)));
  console.log(`openapi.json: ${doc.length} bytes; schema.d.ts written`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
