/**
 * What the one-off commands (`npm run restore`, `import-legacy`, `migrate-to-postgres`) share:
 * argument parsing with the usage text, this app's .env read like `npm start` does, and paths
 * resolved from where the user typed the command (npm runs scripts from the package root).
 */
import fs from "node:fs";
import path from "node:path";

/** Parsed arguments, or the exit code 2 after printing the usage (bad or missing arguments, --help). */
export function parseCommandLine<T>(parse: (argv: string[]) => T | null, usage: string, argv = process.argv.slice(2)): T | 2 {
  let args: T | null;
  try {
    args = parse(argv);
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    return 2;
  }
  if (!args) {
    console.error(usage);
    return 2;
  }
  return args;
}

/** This app's `.env` (repo root), as `npm start` reads it; variables already set win. */
export function loadAppEnv(): void {
  const envFile = path.resolve(".env");
  if (fs.existsSync(envFile)) process.loadEnvFile(envFile);
}

/** A path the user typed, relative to the directory `npm run` was started from. */
export function userPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}
