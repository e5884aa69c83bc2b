"use client";

import { QueryClient } from "@tanstack/react-query";
import { PersistQueryClientProvider } from "@tanstack/react-query-persist-client";
import { useState } from "react";
import { Toaster } from "@/components/ui/toast";
import { CurrentUserProvider, type CurrentUser } from "@/lib/client/current-user";
import { LiveUpdatesProvider } from "@/lib/client/live/live-updates";
import { OutboxProvider } from "@/lib/client/outbox/outbox-context";
import { ApiRequestError } from "@/lib/client/api";
import { createQueryPersister, QUERY_CACHE_MAX_AGE_MS, QUERY_CACHE_VERSION } from "@/lib/client/persist/query-persister";
import { UpdatePrompt } from "@/components/layout/update-prompt";

/**
 * Signed-in pages: the user, the query cache (kept on the device per user, so a page renders
 * offline with its last data), the device outbox, live updates, toasts and the service worker.
 */
export function Providers({ user, children }: { user: CurrentUser; children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // Freshness comes from live updates (events, else last-updated polling), not from timers.
            staleTime: 30_000,
            // Restored data is kept as long as the device keeps it (the persister's max age).
            gcTime: QUERY_CACHE_MAX_AGE_MS,
            refetchOnWindowFocus: true,
            // A 4xx will not get better by asking again; a network error might.
            retry: (failures, error) => failures < 2 && !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500),
          },
        },
      }),
  );
  const [persister] = useState(() => createQueryPersister(user.id));
  return (
    <CurrentUserProvider user={user}>
      <PersistQueryClientProvider
        client={client}
        persistOptions={{
          persister,
          maxAge: QUERY_CACHE_MAX_AGE_MS,
          buster: QUERY_CACHE_VERSION,
          dehydrateOptions: { shouldDehydrateQuery: (query) => query.state.status === "success" && query.meta?.persist !== false },
        }}
        // The kept copy shows at once, but it may be seconds old and the live stream does not replay
        // what changed while no page was open: every restored query is refetched (offline: kept).
        onSuccess={() => void client.invalidateQueries()}
      >
        <OutboxProvider user={user.id}>
          <LiveUpdatesProvider>{children}</LiveUpdatesProvider>
        </OutboxProvider>
        <Toaster theme="dark" position="bottom-center" richColors closeButton />
        <UpdatePrompt />
      </PersistQueryClientProvider>
    </CurrentUserProvider>
  );
}
