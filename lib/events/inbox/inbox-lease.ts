import { config } from "@/lib/config/env";
import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { NamedLease } from "@/lib/jobs/lease";
import { startInboxWatcher, type InboxWatcher, type InboxWatcherOptions } from "@/lib/events/inbox/watch-inbox";

/**
 * With several workers (README "Scaling out") the inbox is watched by ONE of them: the holder of
 * the `inbox-watcher` lease (lib/jobs/lease.ts, the scheduler's lease mechanism). Every worker
 * tries for it every third of the lease time; the holder renews it and watches, the others wait.
 * When the holder stops it releases the lease and another worker takes over at its next try; when
 * it dies the lease expires and another takes over within lease + a third. Files that arrived in
 * between are found by the new watcher's initial scan (files waiting at start count as new).
 * Two watchers for a moment (a holder cut off from the database past its lease) announce nothing
 * twice: the announcement's check-then-emit runs under the write lock (watch-inbox.ts).
 */

export const INBOX_LEASE_NAME = "inbox-watcher";
export const DEFAULT_INBOX_LEASE_MS = 30_000;

export interface LeasedInboxWatcherOptions extends InboxWatcherOptions {
  /** Unique per worker (host:pid:random): written as the lease owner. */
  ownerId: string;
  leaseMs?: number;
}

export interface LeasedInboxWatcher {
  /** Whether this instance holds the lease and watches now. */
  watching(): boolean;
  /** Stops watching; `release: false` leaves the lease to expire (what a killed worker does). */
  stop(options?: { release?: boolean }): Promise<void>;
}

/** Without the lease several workers would all watch: only on PostgreSQL or with INSTANCES > 1. */
export function inboxNeedsLease(): boolean {
  return config().INSTANCES > 1 || isPostgresUrl(databaseUrl());
}

/** The worker's inbox watcher: leased when several workers may run, else watching at once as always. */
export function startWorkerInboxWatcher(ownerId: string): { stop(): Promise<void> } {
  return inboxNeedsLease() ? startLeasedInboxWatcher({ ownerId }) : startInboxWatcher();
}

export function startLeasedInboxWatcher(options: LeasedInboxWatcherOptions): LeasedInboxWatcher {
  const { ownerId, leaseMs = DEFAULT_INBOX_LEASE_MS, ...watcherOptions } = options;
  const lease = new NamedLease(INBOX_LEASE_NAME, ownerId, leaseMs, options.client);
  let watcher: InboxWatcher | null = null;
  let heldUntil = 0;
  let stopped = false;
  let ticking: Promise<void> | null = null;

  const stopWatching = async (why: string) => {
    const current = watcher;
    watcher = null;
    if (!current) return;
    logger.info({ owner: ownerId, why }, "inbox watcher handed over");
    await current.stop();
  };

  const cycle = async () => {
    let held: boolean;
    try {
      const started = Date.now();
      held = await lease.acquire();
      if (held) heldUntil = started + leaseMs;
    } catch (err) {
      // A database hiccup: keep watching while the lease we last renewed is still ours.
      logger.warn({ err, owner: ownerId }, "inbox lease could not be renewed");
      held = Date.now() < heldUntil;
    }
    if (stopped) return;
    if (held && !watcher) {
      logger.info({ owner: ownerId, lease_ms: leaseMs }, "inbox lease taken; watching the inbox");
      watcher = startInboxWatcher(watcherOptions);
    } else if (!held && watcher) {
      await stopWatching("lease lost");
    }
  };
  const tick = () => {
    ticking ??= cycle().finally(() => (ticking = null));
    return ticking;
  };

  void tick();
  const timer = setInterval(() => void tick(), Math.max(50, Math.floor(leaseMs / 3)));

  return {
    watching: () => watcher !== null,
    async stop({ release = true } = {}) {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await stopWatching("stopping");
      if (release) await lease.release().catch((err: unknown) => logger.warn({ err }, "inbox lease could not be released"));
    },
  };
}
