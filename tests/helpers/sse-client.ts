import { NextRequest } from "next/server";
import { ORIGIN } from "@/tests/helpers/http";
import * as streamRoute from "@/app/api/events/stream/route";

/**
 * Opens GET /api/events/stream in-process and reads its body in the background, recording when
 * each data message arrived (for latency assertions). `close()` aborts the request.
 */
export interface ReceivedSseEvent {
  id: number;
  event: string;
  data: unknown;
  /** Date.now() when the message was read. */
  at: number;
}

export async function openSse(path: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const req = new NextRequest(new URL(path, ORIGIN), { headers: { host: "localhost:3000", ...headers }, signal: controller.signal });
  const res = await streamRoute.GET(req, { params: Promise.resolve({}) });
  const events: ReceivedSseEvent[] = [];
  /** Every block, data or not (comments, the initial `id:`). */
  const blocks: string[] = [];
  let done = false;
  const reading = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (end) break;
      buffer += decoder.decode(value, { stream: true });
      let i: number;
      while ((i = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        blocks.push(block);
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((l) => !l.startsWith(":"))
            .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).replace(/^ /, "")]),
        );
        if (fields.data !== undefined)
          events.push({ id: Number(fields.id), event: fields.event, data: JSON.parse(fields.data), at: Date.now() });
      }
    }
    done = true;
  })();

  return {
    res,
    events,
    blocks,
    /** Resolves when `check()` holds; rejects after `timeoutMs` or when the stream ended first. */
    async until(check: () => boolean, timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (done) throw new Error(`stream ended; got ${JSON.stringify(blocks)}`);
        if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(blocks)}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    async close(): Promise<void> {
      controller.abort();
      await reading;
    },
  };
}
