"use client";

import dynamic from "next/dynamic";
import { useMemo } from "react";
import "swagger-ui-react/swagger-ui.css";
import "./swagger-overrides.css";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { useOpenApiDocument } from "@/lib/client/api-docs";

/**
 * Swagger UI (swagger-ui-react, bundled into the app: no CDN, works offline), imported dynamically
 * so its code is only in the /api-docs chunk and never on floor pages. The document is fetched
 * by useOpenApiDocument (with the session cookie) and handed over as an object, so Swagger UI parses nothing and
 * fetches nothing itself. "Try it out" is limited to GET: the reference is for reading.
 */
const SwaggerUI = dynamic(() => import("swagger-ui-react"), {
  ssr: false,
  loading: () => (
    <Loading label="Loading the API reference">
      <Skeleton className="h-96" />
    </Loading>
  ),
});

export function ApiReference() {
  const doc = useOpenApiDocument();
  const spec = useMemo(() => (doc.data ? withoutServers(doc.data) : null), [doc.data]);
  if (doc.isError) {
    return <ErrorState title="The API reference could not be loaded" error={doc.error} onRetry={() => void doc.refetch()} />;
  }
  if (!spec) {
    return (
      <Loading label="Loading the API reference">
        <Skeleton className="h-96" />
      </Loading>
    );
  }
  return (
    <div className="rounded-2xl bg-white p-2 text-neutral-900">
      <SwaggerUI spec={spec} docExpansion="none" defaultModelsExpandDepth={0} supportedSubmitMethods={["get"]} displayOperationId />
    </div>
  );
}

/**
 * The document's `servers` entry ("/", this server) is for generated clients; in the page it only
 * adds an unlabelled server picker with a single choice (an axe "select-name" violation).
 */
function withoutServers(doc: Record<string, unknown>): Record<string, unknown> {
  const { servers: _servers, ...rest } = doc;
  return rest;
}
