/**
 * A small integration with PreRoll Tracker through the typed client (openapi-fetch + the types
 * openapi-typescript generated from the server's OpenAPI document, ./schema.d.ts):
 *
 *   1. polls one package's `apex-calculate` the way ApexAPI does, sending the last `ETag` as
 *      `If-None-Match` — an unchanged package costs a bodyless 304;
 *   2. follows the event feed `GET /api/events?after=<lastEventId>` page by page until `hasMore`
 *      is false, keeping the cursor (store it durably in a real integration).
 *
 * Run it:  PRT_BASE_URL=http://localhost:3000 PRT_API_KEY=prt_… PRT_METRC=1A4… npx tsx clients/typescript/example.ts [--once]
 */
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema";

export type PreRollClient = Client<paths>;
export type ApexCalculation = components["schemas"]["ApexCalculateResponse"];
export type EventEnvelope = components["schemas"]["EventEnvelope"];

export function preRollClient(baseUrl: string, apiKey: string, fetchImpl?: typeof fetch): PreRollClient {
  return createClient<paths>({ baseUrl, headers: { "X-API-Key": apiKey }, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

export type ApexPoll =
  { changed: true; etag: string | null; calculation: ApexCalculation } | { changed: false; etag: string | null; calculation?: undefined };

/** One poll of `apex-calculate`: `changed: false` when the server answered 304 to our `etag`. */
export async function pollApexCalculate(client: PreRollClient, metrc: string, etag: string | null): Promise<ApexPoll> {
  const { data, error, response } = await client.GET("/api/finished-goods/{metrc}/apex-calculate", {
    params: { path: { metrc }, header: etag ? { "If-None-Match": etag } : undefined },
  });
  if (response.status === 304) return { changed: false, etag };
  if (!data) throw new Error(`apex-calculate ${metrc}: ${response.status} ${JSON.stringify(error)}`);
  return { changed: true, etag: response.headers.get("etag"), calculation: data };
}

/**
 * Reads every event after `after`, calling `onEvent` for each in order; returns the new cursor.
 * `type` filters by glob, e.g. `finished_good.*`.
 */
export async function followEvents(
  client: PreRollClient,
  after: number,
  onEvent: (event: EventEnvelope) => void | Promise<void>,
  type?: string,
): Promise<number> {
  let cursor = after;
  for (;;) {
    const { data, error, response } = await client.GET("/api/events", {
      params: { query: { after: cursor, limit: 200, ...(type ? { type } : {}) } },
    });
    if (!data) throw new Error(`events after ${cursor}: ${response.status} ${JSON.stringify(error)}`);
    for (const event of data.events) await onEvent(event);
    cursor = data.lastEventId;
    if (!data.hasMore) return cursor;
  }
}

async function main() {
  const baseUrl = process.env.PRT_BASE_URL ?? "http://localhost:3000";
  const apiKey = process.env.PRT_API_KEY;
  const metrc = process.env.PRT_METRC;
  if (!apiKey || !metrc) throw new Error("Set PRT_API_KEY and PRT_METRC (and PRT_BASE_URL)");
  const once = process.argv.includes("--once");
  const client = preRollClient(baseUrl, apiKey);
  let etag: string | null = null;
  let cursor = Number(process.env.PRT_AFTER ?? 0);
  for (;;) {
    const poll = await pollApexCalculate(client, metrc, etag);
    etag = poll.etag;
    if (poll.changed) {
      const units = Object.fromEntries(Object.entries(poll.calculation.calculated_units).map(([sku, u]) => [sku, u.units]));
      console.log(JSON.stringify({ apex: metrc, available_grams: poll.calculation.available_grams, units, etag }));
    } else {
      console.log(JSON.stringify({ apex: metrc, not_modified: true, etag }));
    }
    cursor = await followEvents(client, cursor, (e) => console.log(JSON.stringify({ event: e.id, type: e.type })));
    console.log(JSON.stringify({ cursor }));
    if (once) return;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

if (process.argv[1] && /example\.[cm]?[jt]s$/.test(process.argv[1])) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
