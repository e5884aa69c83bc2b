"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { LIVE_EVENT_TYPES, LIVE_STREAM_GLOBS, queryKeysForEvent } from "@/lib/client/live/invalidation-map";
import { LiveConnection, type EventSourceLike, type LiveStatus } from "@/lib/client/live/live-connection";
import { queryKeys, type QueryKey } from "@/lib/client/query-keys";
import { useOutboxClient } from "@/lib/client/outbox/outbox-context";
import type { OutboxClient } from "@/lib/client/outbox/outbox-client";

/**
 * Keeps every page's data fresh (UI-GUIDE §4):
 *  - while `/api/events/stream` is connected, its events invalidate exactly the queries they
 *    affect, and the last-updated endpoints are polled only every 30 s as a safety net;
 *  - when it is down, they are polled every 5 s with `If-None-Match` (a 304 costs nothing);
 *  - the header shows `Live` / `Polling` / `Offline since …` from this state.
 */

export type ConnectionState = { kind: "live" } | { kind: "polling" } | { kind: "connecting" } | { kind: "offline"; since: Date };

const LiveContext = createContext<ConnectionState>({ kind: "connecting" });

export function useConnectionState(): ConnectionState {
  return useContext(LiveContext);
}

const FAST_POLL_MS = 5_000;
const SLOW_POLL_MS = 30_000;

/** What a change seen by polling one endpoint makes stale (polling cannot say what changed). */
const POLLED: { endpoint: string; keys: QueryKey[] }[] = [
  { endpoint: "/api/batches/last-updated", keys: [queryKeys.batches.all, queryKeys.centrifuge.all, queryKeys.inventory.all] },
  { endpoint: "/api/finished-goods/last-updated", keys: [queryKeys.finishedGoods.all, queryKeys.wholesale.all] },
];

/**
 * Invalidates `key` unless the device is sending its own writes to it: the last of them refetches
 * when the server answered (see OutboxClient.holdsRefetch).
 */
export function invalidateFromSignal(client: QueryClient, outbox: Pick<OutboxClient, "holdsRefetch">, key: QueryKey): void {
  if (outbox.holdsRefetch(key)) return;
  void client.invalidateQueries({ queryKey: key });
}

function subscribeToNetwork(onChange: () => void): () => void {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
}

export function LiveUpdatesProvider({ children }: { children: React.ReactNode }) {
  const client = useQueryClient();
  const outbox = useOutboxClient();
  const [stream, setStream] = useState<LiveStatus>("connecting");
  const [offlineSince, setOfflineSince] = useState<Date | null>(null);
  const browserOffline = useSyncExternalStore(
    subscribeToNetwork,
    () => !navigator.onLine,
    () => false,
  );
  const streamRef = useRef<LiveConnection | null>(null);

  // The stream.
  useEffect(() => {
    if (typeof EventSource === "undefined") return; // polling only
    const connection = new LiveConnection({
      path: "/api/events/stream",
      globs: LIVE_STREAM_GLOBS,
      types: LIVE_EVENT_TYPES,
      onEvent: (type, envelope) => {
        const payload = envelope !== null && typeof envelope === "object" ? (envelope as { payload?: unknown }).payload : undefined;
        for (const key of queryKeysForEvent(type, payload)) invalidateFromSignal(client, outbox, key);
      },
      onStatus: setStream,
      deps: {
        createEventSource: (url) => new EventSource(url, { withCredentials: true }) as unknown as EventSourceLike,
        setTimeout: (fn, ms) => window.setTimeout(fn, ms),
        clearTimeout: (handle) => window.clearTimeout(handle as number),
        random: Math.random,
      },
    });
    streamRef.current = connection;
    connection.start();
    const online = () => connection.retryNow();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      connection.stop();
      streamRef.current = null;
    };
  }, [client, outbox]);

  // Polling: every 5 s while the stream is down, every 30 s while it is live.
  const intervalMs = stream === "live" ? SLOW_POLL_MS : FAST_POLL_MS;
  useEffect(() => {
    const etags = new Map<string, string | null>();
    let stopped = false;
    const tick = async () => {
      let failed = false;
      await Promise.all(
        POLLED.map(async ({ endpoint, keys }) => {
          const previous = etags.get(endpoint) ?? null;
          try {
            const res = await fetch(endpoint, {
              headers: previous ? { "if-none-match": previous } : {},
              credentials: "same-origin",
              cache: "no-store",
            });
            if (res.status === 200) {
              const next = res.headers.get("etag");
              if (etags.has(endpoint) && next !== previous) for (const key of keys) invalidateFromSignal(client, outbox, key);
              etags.set(endpoint, next);
            }
          } catch {
            failed = true; // no network: the browser could not reach the server
          }
        }),
      );
      if (stopped) return;
      if (failed || !navigator.onLine) setOfflineSince((since) => since ?? new Date());
      else setOfflineSince(null);
    };
    void tick();
    const timer = window.setInterval(() => void tick(), intervalMs);
    const wentOffline = () => setOfflineSince((since) => since ?? new Date());
    const cameOnline = () => void tick();
    window.addEventListener("offline", wentOffline);
    window.addEventListener("online", cameOnline);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener("offline", wentOffline);
      window.removeEventListener("online", cameOnline);
    };
  }, [client, outbox, intervalMs]);

  const state = useMemo<ConnectionState>(() => {
    // The browser knows the network is gone before an open stream notices (it may hang for minutes).
    if (offlineSince && browserOffline) return { kind: "offline", since: offlineSince };
    if (stream === "live") return { kind: "live" };
    if (offlineSince) return { kind: "offline", since: offlineSince };
    return stream === "down" ? { kind: "polling" } : { kind: "connecting" };
  }, [stream, offlineSince, browserOffline]);

  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>;
}
