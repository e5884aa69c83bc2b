"use client";

import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { OutboxClient, type WriteResult } from "@/lib/client/outbox/outbox-client";
import type { OutboxEntry, OutboxRequest, OutboxSnapshot } from "@/lib/client/outbox/types";

const OutboxContext = createContext<OutboxClient | null>(null);

/** The device outbox of the signed-in user (created in the browser; on the server it stays empty). */
export function OutboxProvider({ user, children }: { user: string; children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const [client] = useState(() => new OutboxClient(user, queryClient));
  useEffect(() => () => client.stop(), [client]);
  return <OutboxContext.Provider value={client}>{children}</OutboxContext.Provider>;
}

export function useOutboxClient(): OutboxClient {
  const client = useContext(OutboxContext);
  if (!client) throw new Error("useOutboxClient outside OutboxProvider");
  return client;
}

const EMPTY_SNAPSHOT: OutboxSnapshot = { user: null, entries: [], pending: 0, conflicts: 0, paused: null, retryAt: null, lastError: null };
const NO_ENTRIES: readonly OutboxEntry[] = [];
const noSnapshot = () => EMPTY_SNAPSHOT;
const noEntries = () => NO_ENTRIES;

/** The whole queue (header count, pending and conflicts lists). */
export function useOutboxSnapshot(): OutboxSnapshot {
  const client = useOutboxClient();
  return useSyncExternalStore(client.subscribe, client.getSnapshot, noSnapshot);
}

/** Pending writes of one scope (`batch:<id>`, `inventory`), or of all scopes with `"*all*"`. */
export function usePendingWrites(scope: string): readonly OutboxEntry[] {
  const client = useOutboxClient();
  const get = useCallback(() => client.pendingFor(scope), [client, scope]);
  return useSyncExternalStore(client.subscribe, get, noEntries);
}

export const ALL_SCOPES = "*all*";

export interface OutboxWriteConfig<TInput> {
  kind: string;
  scope: string;
  request: (input: TInput) => OutboxRequest;
  meta?: (input: TInput) => Record<string, unknown>;
  /**
   * How long the caller waits for the server before treating the write as queued (0: never waits;
   * taps show at once and go on). Forms wait, to show the answer or the field errors.
   */
  waitMs?: number;
  /** A refused form write is dropped from the queue: its errors are shown in the form instead. */
  discardOnReject?: boolean;
}

export interface OutboxWriteCallbacks<TResult> {
  /** The server applied it (`result.status === "applied"`) or it waits on the device (`"queued"`). */
  onSuccess?: (result: WriteResult<TResult>) => void;
  onError?: (error: Error) => void;
  onSettled?: () => void;
}

/**
 * A floor write through the device outbox (UI-GUIDE §4): stored on the device before it is sent,
 * shown at once by the queries that lay pending writes over their data, sent in order.
 * Same call shape as a TanStack mutation where the pages used one.
 */
export function useOutboxWrite<TInput, TResult = unknown>(config: OutboxWriteConfig<TInput>) {
  const client = useOutboxClient();
  const [inFlight, setInFlight] = useState(0);
  const mutateAsync = async (input: TInput): Promise<WriteResult<TResult>> => {
    const c = config;
    const waits = (c.waitMs ?? 0) > 0;
    if (waits) setInFlight((n) => n + 1);
    try {
      return await client.enqueue<TResult>(
        { kind: c.kind, scope: c.scope, request: c.request(input), meta: c.meta?.(input) },
        { waitMs: c.waitMs, discardOnReject: c.discardOnReject },
      );
    } finally {
      if (waits) setInFlight((n) => n - 1);
    }
  };

  const mutate = (input: TInput, callbacks: OutboxWriteCallbacks<TResult> = {}) => {
    mutateAsync(input).then(
      (result) => {
        callbacks.onSuccess?.(result);
        callbacks.onSettled?.();
      },
      (error: Error) => {
        callbacks.onError?.(error);
        callbacks.onSettled?.();
      },
    );
  };

  return { mutate, mutateAsync, isPending: inFlight > 0 };
}
