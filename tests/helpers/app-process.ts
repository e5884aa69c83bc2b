import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import type { EventEnvelope } from "@/lib/events/catalogue";

/**
 * A second (third, …) app process for tests: tests/helpers/event-bus-process.ts run by tsx with
 * this process's DATABASE_URL plus the given environment. Every JSON line it prints is kept with
 * the time it arrived.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface ProcessMessage {
  type: string;
  at: number;
  [key: string]: unknown;
}

export class AppProcess {
  readonly messages: ProcessMessage[] = [];
  private stderr = "";
  private exited = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    readline.createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        this.messages.push({ ...(JSON.parse(line) as { type: string }), at: Date.now() });
      } catch {
        this.stderr += `(stdout) ${line}\n`;
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on("exit", () => (this.exited = true));
  }

  /** Starts the process and waits for its `ready` line (the Redis fan-out connected, or given up). */
  static async start(name: string, env: Record<string, string>, timeoutMs = 20_000): Promise<AppProcess> {
    const child = spawn(TSX, [path.join(ROOT, "tests/helpers/event-bus-process.ts")], {
      cwd: ROOT,
      env: { ...process.env, ...env, HARNESS_NAME: name },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const app = new AppProcess(name, child);
    await app.until((m) => m.type === "ready", timeoutMs);
    return app;
  }

  send(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** Commits a `test.ping` through `mutate` in that process; resolves with the event id and when the test heard of it. */
  async commit(message: string): Promise<{ id: number; at: number }> {
    this.send({ cmd: "commit", message });
    const done = await this.until((m) => m.type === "committed" && m.message === message);
    return { id: done.id as number, at: done.at };
  }

  /** Envelopes its bus has seen, in order. */
  events(): (EventEnvelope & { at: number })[] {
    return this.messages.filter((m) => m.type === "event").map((m) => ({ ...(m.envelope as EventEnvelope), at: m.at }));
  }

  private refs = 0;

  /** Sends a command with a `ref` and waits for its reply; throws the child's error. */
  async request(command: Record<string, unknown>, timeoutMs = 5000): Promise<ProcessMessage> {
    const ref = `${this.name}-${++this.refs}`;
    this.send({ ...command, ref });
    const reply = await this.until((m) => m.type === "reply" && m.ref === ref, timeoutMs);
    if (reply.error) throw new Error(`${this.name}: ${String(reply.error)}`);
    return reply;
  }

  /** Kills it at once (SIGKILL: no cleanup, as a crash or the OOM killer would). */
  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill("SIGKILL");
    await exited;
  }

  async status(): Promise<ProcessMessage> {
    const before = this.messages.length;
    this.send({ cmd: "status" });
    return this.until((m, i) => i >= before && m.type === "status");
  }

  async until(check: (m: ProcessMessage, index: number) => boolean, timeoutMs = 5000): Promise<ProcessMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(check);
      if (found) return found;
      if (this.exited) throw new Error(`${this.name} exited: ${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`${this.name}: timed out; messages ${JSON.stringify(this.messages)}; stderr ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Asks it to stop (fan-out closed, database disconnected); kills it after 5 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.send({ cmd: "exit" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
