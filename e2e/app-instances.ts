import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Extra app processes for e2e specs that need more than the one server Playwright starts: each is
 * `node scripts/start.mjs <flags>` from the same production build (`--no-build`), in its own
 * process group so that a stop or a SIGKILL reaches start.mjs and its children (next start, the
 * tsx worker) together. Every group still alive when the test process exits is SIGKILLed.
 */

export const ROOT = path.resolve(__dirname, "..");
const running = new Set<number>();
process.on("exit", () => {
  for (const pgid of running) signalGroup(pgid, "SIGKILL");
});

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; start.mjs checks it again). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Only what a service environment would have, plus `env`: nothing leaks in from the test runner's shell. */
function serviceEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = {} as NodeJS.ProcessEnv; // (NODE_ENV is left unset: start.mjs and next decide it)
  for (const name of ["PATH", "HOME", "LANG", "TZ", "TMPDIR"]) if (process.env[name]) base[name] = process.env[name];
  return { ...base, ...env };
}

/** `node scripts/migrate.mjs` on `env.DATABASE_URL`: the release step, before instances start with --no-migrate. */
export async function migrateDatabase(env: Record<string, string>): Promise<void> {
  await promisify(execFile)(process.execPath, ["scripts/migrate.mjs"], { cwd: ROOT, env: serviceEnv(env) });
}

export class AppInstance {
  /** The last lines it printed (stdout and stderr), for a failing test's report. */
  readonly output: string[] = [];
  exited: string | null = null;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > 300) this.output.splice(0, this.output.length - 300);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("exit", (code, signal) => {
      this.exited = String(signal ?? code);
    });
  }

  static start(name: string, flags: string[], env: Record<string, string>): AppInstance {
    const child = spawn(process.execPath, ["scripts/start.mjs", ...flags], {
      cwd: ROOT,
      env: serviceEnv(env),
      detached: true, // its own process group
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.add(child.pid!);
    return new AppInstance(name, child);
  }

  get pgid(): number {
    return this.child.pid!;
  }

  /** Whether process `pid` belongs to this instance's group (e.g. the worker behind a heartbeat row). */
  owns(pid: number): boolean {
    try {
      return (
        Number(
          execFileSync("ps", ["-o", "pgid=", "-p", String(pid)])
            .toString()
            .trim(),
        ) === this.pgid
      );
    } catch {
      return false;
    }
  }

  /** Resolves once `url` answers 200; fails at once if the instance exited. */
  async healthy(url: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited !== null) throw new Error(`${this.name} exited (${this.exited}):\n${this.log()}`);
      const ok = await fetch(url)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not healthy after ${timeoutMs} ms:\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGKILL to the whole group: the instance dies as a crashed host would, no shutdown code runs. */
  kill(): void {
    signalGroup(this.pgid, "SIGKILL");
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when start.mjs has exited. */
  async stop(graceMs = 8_000): Promise<void> {
    if (this.exited === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      signalGroup(this.pgid, "SIGTERM");
      const timer = setTimeout(() => signalGroup(this.pgid, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    signalGroup(this.pgid, "SIGKILL"); // anything of the group that outlived start.mjs
    running.delete(this.pgid);
  }

  log(lines = 40): string {
    return this.output.slice(-lines).join("\n");
  }
}
