"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";
import { openOutboxStore } from "@/lib/client/outbox/store";
import { Button } from "@/components/ui/button";
import { clearPersistedQueries } from "@/lib/client/persist/query-persister";
import { cacheNames } from "@/lib/pwa/cache-names";

/**
 * Signs out on a shared tablet (UI-GUIDE §4): this user's saved data and cached pages leave the
 * device; changes not yet sent are never dropped without asking — they can stay (and are sent
 * when the same user signs in here again) or be discarded.
 */
export function LogoutScreen({ userId }: { userId: string | null }) {
  const [unsent, setUnsent] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    const count = async () => {
      if (!userId || typeof indexedDB === "undefined") return 0;
      const store = await openOutboxStore();
      try {
        return (await store.list(userId)).length;
      } finally {
        store.close();
      }
    };
    count().then(
      (n) => {
        if (cancelled) return;
        if (n === 0) void finish(userId, false);
        else setUnsent(n);
      },
      () => !cancelled && void finish(userId, false),
    );
    return () => {
      cancelled = true;
    };
  }, [userId]);

  const proceed = (discard: boolean) => {
    setBusy(true);
    void finish(userId, discard);
  };

  if (unsent === null || busy) {
    return (
      <main className="flex min-h-screen items-center justify-center p-6">
        <h1 role="status" className="text-xl font-semibold">
          Signing out…
        </h1>
      </main>
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-[min(92vw,34rem)] space-y-4 rounded-2xl border border-neutral-700 bg-neutral-900 p-6">
        <h1 className="text-2xl font-bold">
          {unsent} {unsent === 1 ? "change has" : "changes have"} not been sent yet
        </h1>
        <p className="text-neutral-200">
          This tablet still holds changes you made that the server has not received. If you log out and keep them, they are sent the next
          time you sign in on this tablet.
        </p>
        <div className="flex flex-col gap-3">
          <Link
            href="/"
            prefetch={false}
            className="flex min-h-12 items-center justify-center rounded-xl bg-green-700 px-4 font-semibold text-white hover:bg-green-800"
          >
            Stay signed in
          </Link>
          <Button onClick={() => proceed(false)}>Log out and keep them</Button>
          <Button variant="danger" onClick={() => proceed(true)}>
            Discard them and log out
          </Button>
        </div>
      </div>
    </main>
  );
}

/** Clears this user's data from the device, then signs out. */
async function finish(userId: string | null, discardUnsent: boolean) {
  const steps: Promise<unknown>[] = [];
  if (userId) {
    steps.push(clearPersistedQueries(userId));
    if (discardUnsent)
      steps.push(
        openOutboxStore().then(async (store) => {
          await store.removeAllFor(userId);
          store.close();
        }),
      );
  }
  // The floor pages' cached HTML names the user: it goes too.
  if (typeof caches !== "undefined") steps.push(caches.delete(cacheNames.floorPages));
  await Promise.allSettled(steps);
  await signOut({ callbackUrl: "/login" });
}
