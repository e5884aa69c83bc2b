"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import "swagger-ui-react/swagger-ui.css";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";

/**
 * Swagger UI (swagger-ui-react, bundled into the app: no CDN, works offline), imported dynamically
 * so its code is only in the /api-docs chunk and never on floor pages. The document is fetched
 * here (with the session cookie) and handed over as an object, so Swagger UI parses nothing and
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

export function ApiReference({ url }: { url: string }) {
  const [spec, setSpec] = useState<object | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    fetch(url, { headers: { accept: "application/json" } })
      .then(async (res) => {
        if (!res.ok) throw new Error(`The API document could not be loaded (${res.status})`);
        return res.json();
      })
      .then((doc) => live && setSpec(doc))
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [url, attempt]);

  if (error) {
    return (
      <ErrorState
        title="The API reference could not be loaded"
        error={error}
        onRetry={() => {
          setError(null);
          setAttempt((n) => n + 1);
        }}
      />
    );
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
