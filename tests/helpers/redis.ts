import { Redis } from "ioredis";

/** The Redis the tests use: REDIS_URL, else the local server. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Why Redis at `url` cannot be used (null when a PING answers), and a loud warning naming what is
 * skipped, so a machine without Redis skips those tests visibly rather than failing them.
 */
export async function redisUnreachable(skipped: string, url: string = TEST_REDIS_URL): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let lastError: Error | null = null;
  client.on("error", (error: Error) => (lastError = error));
  try {
    await client.connect();
    await client.ping();
    await client.quit();
    return null;
  } catch (error) {
    client.disconnect();
    const reason = (lastError as Error | null)?.message ?? (error instanceof Error ? error.message : String(error));
    console.warn(`\n⚠ Redis not reachable at ${url.replace(/\/\/[^@/]*@/, "//***@")} (${reason}): ${skipped} SKIPPED\n`);
    return reason;
  }
}
