import { execFileSync } from "node:child_process";

/**
 * The release Sentry tags events with: `SENTRY_RELEASE` when set (scripts/start.mjs sets it once
 * for web and worker), else `preroll-tracker@<git sha>`, else undefined (no git, or not a checkout:
 * events are still sent, just without a release). Never throws.
 */
export function resolveRelease(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): string | undefined {
  const explicit = env.SENTRY_RELEASE?.trim();
  if (explicit) return explicit;
  const sha = gitSha(cwd);
  return sha ? `preroll-tracker@${sha}` : undefined;
}

export function gitSha(cwd = process.cwd()): string | undefined {
  try {
    const out = execFileSync("git", ["rev-parse", "HEAD"], { cwd, stdio: ["ignore", "pipe", "ignore"], timeout: 2_000 })
      .toString()
      .trim();
    return /^[0-9a-f]{7,64}$/.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}
