"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";

/**
 * The OpenAPI 3.1 document for /api-docs. It is whatever `lib/http/openapi/document.ts` builds; the
 * renderer reads it as a plain object, so no narrower type is claimed here. It only changes with a
 * release, hence no refetch while the page is open.
 */
export function useOpenApiDocument() {
  return useQuery({
    queryKey: queryKeys.apiDocs.document,
    queryFn: () => apiFetch<Record<string, unknown>>("/api/openapi.json"),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    // ~360 KB that only this desk page reads: not worth keeping in the tablets' persisted cache.
    meta: { persist: false },
  });
}
