import { ApiReference } from "@/components/api-docs/api-reference";

export const metadata = { title: "API reference — PreRoll Tracker" };

/**
 * The API reference for integrators, rendered from GET /api/openapi.json (the OpenAPI 3.1
 * document generated from the routes' own schemas). The renderer is loaded on this page only.
 */
export default function ApiDocsRoute() {
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="mt-1 text-neutral-300">
          Every route of this server, with its auth rule, least role, request and response schemas and errors. The raw document is{" "}
          <a className="underline" href="/api/openapi.json">
            /api/openapi.json
          </a>
          ; typed clients are generated from it (clients/typescript/ in the repository). &quot;Try it out&quot; runs read-only requests as
          you.
        </p>
      </header>
      <ApiReference />
    </div>
  );
}
