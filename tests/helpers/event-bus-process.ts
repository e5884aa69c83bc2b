/**
 * One app process for multi-process tests (tests/integration/redis-fanout.test.ts,
 * tests/postgres/two-instances.test.ts), run with tsx: the real process-wide bus wired by
 * `startEventBus` (outbox + cache invalidation + Redis fan-out from REDIS_URL /
 * REDIS_EVENTS_CHANNEL) and a real `mutate` against DATABASE_URL (either engine).
 *
 * JSON lines. Out: `{"type":"ready",...}` once the fan-out is connected (or gave up after 5 s),
 * `{"type":"event","envelope":…}` for every envelope on the bus, `{"type":"committed","id":…}`,
 * `{"type":"status",…}`, `{"type":"reply","ref":…}` for a request carrying a `ref`,
 * `{"type":"job-run","job":…,"owner":…,"startedAt":…}` per scheduled run (its scheduler's clock).
 * In: `{"cmd":"commit","message":"…"}`, `{"cmd":"status"}`, `{"cmd":"exit"}`, and with a `ref`:
 * `auth` (key → this process's `authenticateApiKey`), `revoke` (id → `revokeApiKey`), `sse` (opens an SSE stream here; `{"type":"sse","id"}` per message),
 * `worker` (starts the delivery loop: id, leaseMs, concurrency, intervalMs), `scheduler` (starts a
 * Scheduler: ownerId, tickMs, jobs [{name, intervalSeconds, runMs}]).
 * HARNESS_PROCESS=worker starts the bus as a worker process.
 */
import readline from "node:readline";
import { bus } from "@/lib/events/bus";
import { startEventBus } from "@/lib/events/start";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { authenticateApiKey } from "@/lib/auth/api-keys";
import { revokeApiKey } from "@/lib/domain/api-keys/api-key-ops";
import { startEventLoop, type StopEventLoop } from "@/lib/events/delivery/loop";
import { Scheduler } from "@/lib/jobs/scheduler";
import { openEventStream } from "@/lib/events/sse";

const name = process.env.HARNESS_NAME ?? `p${process.pid}`;
const send = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

bus.subscribe("*", (envelope) => send({ type: "event", envelope }), { name: "harness" });
const handle = startEventBus({ process: process.env.HARNESS_PROCESS === "worker" ? "worker" : "web" });
let stopWorker: StopEventLoop | null = null;
let scheduler: Scheduler | null = null;

async function commit(message: string): Promise<void> {
  const envelope = await mutate(systemContext(name, name), (m) => m.emit("test.ping", { message }));
  send({ type: "committed", id: envelope.id, message });
}

interface Command {
  cmd: string;
  ref?: string;
  message?: string;
  key?: string;
  id?: string;
  leaseMs?: number;
  concurrency?: number;
  intervalMs?: number;
  ownerId?: string;
  tickMs?: number;
  jobs?: { name: string; intervalSeconds: number; runMs?: number }[];
}

/** Requests with a `ref`: the answer is `{"type":"reply","ref":…,…}` (or `error`). */
async function request(command: Command): Promise<Record<string, unknown>> {
  switch (command.cmd) {
    case "auth":
      return { ok: (await authenticateApiKey(command.key ?? "")) !== null };
    case "revoke":
      await revokeApiKey(systemContext(name, name), command.id ?? "");
      return {};
    case "worker":
      stopWorker = startEventLoop(command.id ?? name, {
        leaseMs: command.leaseMs,
        concurrency: command.concurrency,
        intervalMs: command.intervalMs,
      });
      return {};
    case "sse": {
      // An SSE client of this instance's stream (live from its head), reading in the background.
      const body = openEventStream({ signal: new AbortController().signal }).body!;
      void (async () => {
        const decoder = new TextDecoder();
        let buffer = "";
        const reader = body.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let i: number;
          while ((i = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const id = /^id: (\d+)$/m.exec(block);
            if (id && /^data:/m.test(block)) send({ type: "sse", id: Number(id[1]) });
          }
        }
      })();
      return {};
    }
    case "scheduler":
      scheduler = new Scheduler({
        ownerId: command.ownerId ?? name,
        tickMs: command.tickMs,
        jobs: (command.jobs ?? []).map((job) => ({
          name: job.name,
          description: "test job",
          intervalSeconds: () => job.intervalSeconds,
          run: async (run) => {
            send({ type: "job-run", job: job.name, owner: command.ownerId ?? name, startedAt: run.now.getTime() });
            await new Promise((resolve) => setTimeout(resolve, job.runMs ?? 0));
            return {};
          },
        })),
      });
      scheduler.start();
      return {};
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

async function exit(): Promise<void> {
  await scheduler?.stop({ timeoutMs: 2000 });
  await stopWorker?.();
  await handle.stop();
  await db.$disconnect();
}

const input = readline.createInterface({ input: process.stdin });
input.on("close", () => process.exit(0)); // the test runner went away
input.on("line", (line) => {
  const command = JSON.parse(line) as Command;
  if (command.ref !== undefined) {
    const ref = command.ref;
    request(command).then(
      (answer) => send({ type: "reply", ref, ...answer }),
      (err: unknown) => send({ type: "reply", ref, error: String(err) }),
    );
  } else if (command.cmd === "commit") {
    commit(command.message ?? "").catch((err: unknown) => send({ type: "error", error: String(err) }));
  } else if (command.cmd === "status") {
    send({ type: "status", ...handle.status() });
  } else if (command.cmd === "exit") {
    void exit().finally(() => process.exit(0));
  }
});

void handle.redisReady(5000).then((connected) => send({ type: "ready", name, connected, pid: process.pid }));
