"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";
import { CurrentUserProvider, type CurrentUser } from "@/lib/client/current-user";
import { LiveUpdatesProvider } from "@/lib/client/live/live-updates";
import { ApiRequestError } from "@/lib/client/api";

/** Signed-in pages: the user, the query cache, live updates and toasts. */
export function Providers({ user, children }: { user: CurrentUser; children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            // Freshness comes from live updates (events, else last-updated polling), not from timers.
            staleTime: 30_000,
            refetchOnWindowFocus: true,
            // A 4xx will not get better by asking again; a network error might.
            retry: (failures, error) => failures < 2 && !(error instanceof ApiRequestError && error.status < 500),
          },
        },
      }),
  );
  return (
    <CurrentUserProvider user={user}>
      <QueryClientProvider client={client}>
        <LiveUpdatesProvider>{children}</LiveUpdatesProvider>
        <Toaster theme="dark" position="bottom-center" richColors closeButton />
      </QueryClientProvider>
    </CurrentUserProvider>
  );
}
