import { db as defaultDb, type Db } from "@/lib/db/client";
import { relayAll } from "@/lib/events/relay";
import { runDeliveryBatch, DEFAULT_LEASE_MS } from "@/lib/events/delivery/worker";
import { logger } from "@/lib/log";

/**
 * The worker's event loop: every second, relay new events into deliveries, then run one batch of
 * due deliveries. A tick never overlaps the previous one. Returns a stop function.
 */
export function startEventLoop(workerId: string, options: { intervalMs?: number; leaseMs?: number; batch?: number; client?: Db } = {}): () => void {
  const client = options.client ?? defaultDb;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const relayed = await relayAll(client, 5);
      if (relayed.deliveries > 0) logger.debug(relayed, "events relayed");
      const batch = await runDeliveryBatch(client, { workerId, leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS, limit: options.batch ?? 10 });
      if (batch.claimed > 0) logger.info({ ...batch.outcomes, claimed: batch.claimed }, "deliveries run");
    } catch (err) {
      logger.error({ err }, "event loop tick failed");
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1000);
  return () => clearInterval(timer);
}
