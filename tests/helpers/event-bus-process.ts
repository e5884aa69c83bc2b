/**
 * One app process for multi-process tests (tests/integration/redis-fanout.test.ts), run with tsx:
 * the real process-wide bus wired by `startEventBus` (outbox + cache invalidation + Redis fan-out
 * from REDIS_URL / REDIS_EVENTS_CHANNEL) and a real `mutate` against DATABASE_URL.
 *
 * JSON lines. Out: `{"type":"ready",...}` once the fan-out is connected (or gave up after 5 s),
 * `{"type":"event","envelope":…}` for every envelope on the bus, `{"type":"committed","id":…}`,
 * `{"type":"status",…}`. In: `{"cmd":"commit","message":"…"}`, `{"cmd":"status"}`, `{"cmd":"exit"}`.
 */
import readline from "node:readline";
import { bus } from "@/lib/events/bus";
import { startEventBus } from "@/lib/events/start";
import { mutate } from "@/lib/db/mutate";
import { systemContext } from "@/lib/context";
import { db } from "@/lib/db/client";

const name = process.env.HARNESS_NAME ?? `p${process.pid}`;
const send = (message: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(message)}\n`);

bus.subscribe("*", (envelope) => send({ type: "event", envelope }), { name: "harness" });
const handle = startEventBus({ process: "web" });

async function commit(message: string): Promise<void> {
  const envelope = await mutate(systemContext(name, name), (m) => m.emit("test.ping", { message }));
  send({ type: "committed", id: envelope.id, message });
}

const input = readline.createInterface({ input: process.stdin });
input.on("close", () => process.exit(0)); // the test runner went away
input.on("line", (line) => {
  const command = JSON.parse(line) as { cmd: string; message?: string };
  if (command.cmd === "commit") {
    commit(command.message ?? "").catch((err: unknown) => send({ type: "error", error: String(err) }));
  } else if (command.cmd === "status") {
    send({ type: "status", ...handle.status() });
  } else if (command.cmd === "exit") {
    void handle
      .stop()
      .then(() => db.$disconnect())
      .finally(() => process.exit(0));
  }
});

void handle.redisReady(5000).then((connected) => send({ type: "ready", name, connected, pid: process.pid }));
