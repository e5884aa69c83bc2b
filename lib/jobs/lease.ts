import { db as defaultDb, type Db } from "@/lib/db/client";
import { logger } from "@/lib/log";

/**
 * A named lease for work that is not a scheduled job but must run in one worker at a time (the
 * inbox watcher). It is the scheduler's lease (lib/jobs/scheduler.ts), on a row of the same `jobs`
 * table, taken by the same conditional update — free (`lease_until` null or past) or already ours —
 * so one mechanism serves both: at most one holder across processes and hosts, and a holder that
 * died simply lets its lease expire. The row is not a registered job, so the scheduler never runs
 * it (nor lists it: the jobs page shows registered jobs); the event-system status lists the row.
 * Deadlines are each host's clock, as for jobs: hosts must agree to well under the lease time (NTP).
 */
export class NamedLease {
  private rowReady = false;
  private held = false;

  constructor(
    readonly name: string,
    readonly ownerId: string,
    readonly leaseMs: number,
    private readonly client: Db = defaultDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Takes the lease if it is free, or renews it if ours; true while this owner holds it. */
  async acquire(): Promise<boolean> {
    await this.ensureRow();
    const now = this.now();
    const previous = this.held ? null : await this.client.job.findUnique({ where: { name: this.name }, select: { lease_owner: true } });
    const won = await this.client.job.updateMany({
      where: { name: this.name, OR: [{ lease_owner: this.ownerId }, { lease_until: null }, { lease_until: { lt: now } }] },
      data: {
        lease_owner: this.ownerId,
        lease_until: new Date(now.getTime() + this.leaseMs),
        ...(this.held ? {} : { last_started_at: now }),
      },
    });
    const wasHeld = this.held;
    this.held = won.count === 1;
    if (this.held && !wasHeld && previous?.lease_owner && previous.lease_owner !== this.ownerId) {
      // An owner still named on an expired lease never released it: it died (or lost the database).
      logger.warn({ lease: this.name, previous_owner: previous.lease_owner }, "lease expired; taking over");
    }
    return this.held;
  }

  /** Gives the lease up now (a graceful stop): another process may take it at its next try. */
  async release(): Promise<void> {
    this.held = false;
    await this.client.job.updateMany({
      where: { name: this.name, lease_owner: this.ownerId },
      data: { lease_owner: null, lease_until: null },
    });
  }

  private async ensureRow(): Promise<void> {
    if (this.rowReady) return;
    const seconds = Math.max(1, Math.round(this.leaseMs / 1000));
    if (await this.client.job.findUnique({ where: { name: this.name }, select: { name: true } })) {
      this.rowReady = true;
      return;
    }
    try {
      await this.client.job.create({ data: { name: this.name, interval_seconds: seconds, next_run_at: this.now() } });
    } catch (err) {
      // Another process created it first.
      if ((err as { code?: string }).code !== "P2002") throw err;
    }
    this.rowReady = true;
  }
}
