"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";

/**
 * Polls a last-updated endpoint with If-None-Match (a 304 costs the server next to nothing) and
 * invalidates `queryKey` when it changes. Default 5 s, as the legacy pages did.
 */
export function useLastUpdated(endpoint: string, queryKey: readonly unknown[], intervalMs = 5_000): void {
  const client = useQueryClient();
  const etag = useRef<string | null>(null);
  const keyJson = JSON.stringify(queryKey);
  useEffect(() => {
    const key = JSON.parse(keyJson) as unknown[];
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch(endpoint, {
          headers: etag.current ? { "if-none-match": etag.current } : {},
          credentials: "same-origin",
          cache: "no-store",
        });
        if (res.status === 200) {
          const next = res.headers.get("etag");
          if (etag.current !== null && next !== etag.current) await client.invalidateQueries({ queryKey: key });
          etag.current = next;
        }
      } catch {
        // Offline or flaky Wi-Fi: try again next tick.
      }
    };
    void tick();
    const timer = setInterval(() => !stopped && void tick(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [client, endpoint, intervalMs, keyJson]);
}
