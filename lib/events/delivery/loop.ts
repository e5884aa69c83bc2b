import { db as defaultDb, type Db } from "@/lib/db/client";
import { relayOnce } from "@/lib/events/relay";
import { eventBusWired, publishRelayedEvents } from "@/lib/events/start";
import { attemptDelivery, recordAndClaim } from "@/lib/events/delivery/worker";
import { deliveryStore } from "@/lib/events/delivery/store";
import type { AttemptResult, Claim, ClaimedDelivery } from "@/lib/events/delivery/store/types";
import { loopChangeVersion, onLoopChange } from "@/lib/events/delivery/changes";
import { logger } from "@/lib/log";
import { config } from "@/lib/config/env";

/**
 * The worker's event loop: relay committed events into deliveries and run the due ones, as a
 * pipeline. While there is work it loops back to back — relay a page (leasing to itself, when it
 * has free slots and no backlog, the deliveries it creates), claim as many due deliveries as
 * there are free slots, start their handlers — without waiting for the batch in flight; finished
 * attempts are recorded together (one transaction for everything that finished since the last
 * record). At most `concurrency` attempts run at once; a finished one frees its slot at once, not
 * when its record commits, so a slow round trip to the database does not idle the senders. At
 * most twice `concurrency` deliveries are claimed and not yet recorded, which also bounds what a
 * crash can deliver twice. Idle, it looks every `idlePollMs` whether another
 * connection committed anything (SQLite `PRAGMA data_version`: microseconds, no query; on
 * PostgreSQL a change notification also wakes it at once, lib/events/delivery/changes.ts), and
 * every `intervalMs` regardless, for retries and leases that only time makes due.
 *
 * Leases of attempts still running are renewed every third of the lease, so a short lease (fast
 * recovery after a crash, SPEC §8) never cuts a slow receiver short.
 *
 * The returned function stops the loop gracefully: no new claims, attempts in flight finish and
 * are recorded (for at most `drainMs`), and whatever is still claimed is put back for another
 * worker. It resolves when that is done.
 */

export interface EventLoopOptions {
  client?: Db;
  /** Longest idle wait between two full looks at the queue (retries, expired leases). */
  intervalMs?: number;
  /** How often an idle loop checks for commits by other connections. */
  idlePollMs?: number;
  /** Lease per claimed delivery (DELIVERY_LEASE_MS, default 30 s), renewed while attempting. */
  leaseMs?: number;
  /** Deliveries per claim (DELIVERY_BATCH, default 100). */
  batch?: number;
  /** Attempts running at once, at most (DELIVERY_CONCURRENCY, default 128); twice that claimed and not yet recorded. */
  concurrency?: number;
  /** How long stopping waits for attempts in flight (default 10 s). */
  drainMs?: number;
}

export type StopEventLoop = () => Promise<void>;

/** A loop without free slots still relays this often (events of other processes reach its bus). */
const SATURATED_RELAY_MS = 1000;

/** Handlers get this long at most (the lease is renewed meanwhile); webhooks cap themselves at 30 s. */
const HANDLER_DEADLINE_MS = 5 * 60_000;

export function startEventLoop(workerId: string, options: EventLoopOptions = {}): StopEventLoop {
  const client = options.client ?? defaultDb;
  const intervalMs = options.intervalMs ?? 1000;
  const idlePollMs = options.idlePollMs ?? config().DELIVERY_IDLE_POLL_MS;
  const leaseMs = options.leaseMs ?? config().DELIVERY_LEASE_MS;
  const concurrency = Math.max(1, options.concurrency ?? config().DELIVERY_CONCURRENCY);
  const batch = Math.max(1, Math.min(options.batch ?? config().DELIVERY_BATCH, concurrency));
  const drainMs = options.drainMs ?? 10_000;

  /** Claimed, not yet recorded: id → claim, and whether its handler started. */
  const inFlight = new Map<string, { claim: Claim; started: boolean }>();
  let finished: AttemptResult[] = [];
  /** Of `inFlight`, those whose attempt finished and whose record is pending or running. */
  let awaitingRecord = 0;
  let recording: Promise<void> | null = null;
  /** The last claim took all it asked for: records refill freed slots in their own transaction. */
  let queueHasWork = false;
  let stopping = false;
  let closed = false;
  let wake: (() => void) | null = null;
  /**
   * A wake-up (stop, a freed slot) that came while the loop was not waiting, between its look at
   * the queue and its wait: the next wait returns at once instead of sleeping through it.
   */
  let wakePending = false;
  const signal = () => {
    if (wake) wake();
    else wakePending = true;
  };

  // Claiming and recording -----------------------------------------------------------------------
  let lastFullLook = 0;
  /**
   * Free slots: attempts that may start now, within the bound on what is claimed and not yet
   * recorded (`recorded`: finished ones about to leave that count with their record).
   */
  function freeSlots(recorded = 0): number {
    return Math.min(concurrency - (inFlight.size - awaitingRecord), 2 * concurrency - inFlight.size + recorded);
  }
  /** How many to claim now: none while most slots are taken (wait for a few rather than claim crumbs). */
  function claimSize(): number {
    const room = freeSlots();
    if (stopping || room <= 0) return 0;
    return room >= Math.min(batch, Math.ceil(concurrency / 4)) || inFlight.size === 0 ? Math.min(batch, room) : 0;
  }
  function claimOptions(limit: number) {
    const full = Date.now() - lastFullLook >= intervalMs;
    if (full) lastFullLook = Date.now();
    return { workerId, leaseMs, limit, retries: full };
  }

  /** Starts the handlers of claimed deliveries; their results are recorded as they finish. */
  async function start(jobs: ClaimedDelivery[]): Promise<void> {
    for (const job of jobs) inFlight.set(job.claim.id, { claim: job.claim, started: false });
    if (stopping) {
      // Claimed but not started: back to the queue.
      await deliveryStore()
        .releaseClaims(
          jobs.map((j) => j.claim),
          workerId,
        )
        .catch((err: unknown) => logger.error({ err }, "releasing claims failed"));
      for (const j of jobs) inFlight.delete(j.claim.id);
      return;
    }
    for (const job of jobs) {
      inFlight.get(job.claim.id)!.started = true;
      void attemptDelivery(job, { deadlineMs: HANDLER_DEADLINE_MS }).then((result) => {
        if (closed) return; // released when stopping: another worker owns it now
        finished.push(result);
        awaitingRecord++;
        recordSoon();
        // Its slot is free now: the loop may refill once enough are (claimSize).
        if (claimSize() > 0) signal();
      });
    }
  }

  /** Claims what fits and starts it; returns whether the queue may hold more right now. */
  async function claimAndStart(limit: number): Promise<boolean> {
    const jobs = await deliveryStore().claimDue(claimOptions(limit));
    await start(jobs);
    return jobs.length === limit;
  }

  function recordSoon() {
    if (recording || finished.length === 0) return;
    recording = (async () => {
      // Results that arrive in the same turn of the event loop are recorded together.
      await new Promise((resolve) => setImmediate(resolve));
      while (finished.length > 0) {
        const results = finished;
        finished = [];
        // While the queue has work, the slots these free are refilled in the same transaction.
        const size = queueHasWork && !stopping ? Math.min(batch, Math.max(0, freeSlots(results.length))) : 0;
        try {
          const { outcomes, jobs } = await recordAndClaim(client, results, workerId, size > 0 ? claimOptions(size) : undefined);
          for (const r of results) inFlight.delete(r.job.claim.id);
          awaitingRecord -= results.length;
          if (size > 0 && jobs.length < size) queueHasWork = false;
          await start(jobs);
          const counts: Record<string, number> = {};
          for (const o of outcomes.values()) counts[o] = (counts[o] ?? 0) + 1;
          logger.debug({ ...counts, claimed: jobs.length, workerId }, "deliveries recorded");
        } catch (err) {
          // The leases run out and a later look retries these deliveries.
          logger.error({ err, deliveries: results.length }, "recording delivery attempts failed");
          for (const r of results) inFlight.delete(r.job.claim.id);
          awaitingRecord -= results.length;
        }
        signal();
      }
    })().finally(() => {
      recording = null;
      recordSoon();
    });
  }

  // Lease renewal --------------------------------------------------------------------------------
  const renewTimer = setInterval(
    () => {
      const due = Date.now() + (leaseMs * 2) / 3;
      const ids = [...inFlight.values()].filter((f) => f.started && f.claim.lockedUntil.getTime() < due).map((f) => f.claim.id);
      if (ids.length === 0) return;
      const lockedUntil = new Date(Date.now() + leaseMs);
      deliveryStore()
        .renewLeases(ids, workerId, lockedUntil)
        .then(() => ids.forEach((id) => inFlight.get(id) && (inFlight.get(id)!.claim.lockedUntil = lockedUntil)))
        .catch((err: unknown) => logger.error({ err }, "renewing delivery leases failed"));
    },
    Math.max(100, leaseMs / 3),
  );
  renewTimer.unref();

  // The loop -------------------------------------------------------------------------------------
  async function run(): Promise<void> {
    let seenVersion = "";
    let lastRelayAt = 0;
    while (!stopping) {
      let more = false;
      let saturated = false;
      try {
        // Read before looking: a commit (or a signal) from now on wakes the next wait.
        wakePending = false;
        seenVersion = loopChangeVersion();
        // With free slots and no known backlog the relay reads as many events as there are slots
        // and leases what it creates to this worker: a delivery that can run now costs no claim.
        // What it leaves pending is a backlog that the claims (and records, through queueHasWork)
        // drain first; meanwhile it leases nothing, so new events never overtake older due
        // deliveries. Without free slots, relaying would only turn waiting events into waiting
        // deliveries: it then runs at most every SATURATED_RELAY_MS, for this process's bus.
        const room = claimSize();
        if (room > 0 || Date.now() - lastRelayAt >= SATURATED_RELAY_MS) {
          lastRelayAt = Date.now();
          const lease = room > 0 && !queueHasWork ? { workerId, leaseMs, limit: room } : undefined;
          const relayed = await relayOnce(client, {
            onRelayed: eventBusWired() ? publishRelayedEvents : undefined,
            lease,
            pageSize: lease ? room : undefined,
          });
          if (relayed.deliveries > 0)
            logger.debug(
              { events: relayed.events, deliveries: relayed.deliveries, leased: relayed.jobs.length, workerId },
              "events relayed",
            );
          await start(relayed.jobs);
          if (relayed.deliveries > relayed.jobs.length) queueHasWork = true;
          more = relayed.events > 0;
        }
        const size = claimSize();
        if (size > 0) {
          const full = await claimAndStart(size);
          queueHasWork = full;
          more = full || more;
        } else {
          saturated = true;
        }
      } catch (err) {
        logger.error({ err }, "event loop step failed");
        await waitFor(intervalMs, false, seenVersion);
        continue;
      }
      if (more && !saturated) {
        // Busy: go again at once, after letting I/O callbacks (responses) run.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await waitFor(intervalMs, !saturated, seenVersion);
    }
  }

  /** Waits for a freed slot, a commit by someone else (when `watch`), the interval, or stop. */
  function waitFor(ms: number, watch: boolean, version: string): Promise<void> {
    // What came during the look is not waited through: the notification or signal that announced
    // it has already fired, and the interval (or the idle poll) may be a minute away.
    if (stopping || wakePending || (watch && changedSince(version))) {
      wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        unsubscribe?.();
        wake = null;
        resolve();
      };
      wake = done;
      const timer = setTimeout(done, ms);
      const unsubscribe = watch ? onLoopChange(done) : undefined;
      const poll = watch
        ? setInterval(() => {
            if (changedSince(version)) done();
          }, idlePollMs)
        : undefined;
    });
  }
  /** Whether a commit moved the version (a failing check counts as moved: look again). */
  function changedSince(version: string): boolean {
    try {
      return loopChangeVersion() !== version;
    } catch {
      return true;
    }
  }
  const loop = run().catch((err: unknown) => logger.error({ err }, "event loop crashed"));

  let stopped: Promise<void> | null = null;
  return function stop(): Promise<void> {
    stopped ??= drain();
    return stopped;
  };

  async function drain(): Promise<void> {
    stopping = true;
    signal();
    await loop;
    // Wait (bounded) for attempts in flight and their records.
    const deadline = Date.now() + drainMs;
    while ((inFlight.size > 0 || recording) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    clearInterval(renewTimer);
    const left = [...inFlight.values()].map((f) => f.claim);
    closed = true;
    if (left.length > 0) {
      // Attempts still running past the bound: release them; the receiver may see them again.
      const released = await deliveryStore()
        .releaseClaims(left, workerId)
        .catch(() => 0);
      logger.warn({ released, workerId }, "worker stopped with deliveries in flight; released");
    }
    if (recording) await recording;
  }
}
