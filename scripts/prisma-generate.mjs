// `prisma generate` without network: Prisma's CLI wants its native schema engine even though
// generation does not use it, and the binary host is unreachable offline. A dummy executable
// satisfies the lookup (see STACK-NOTES.md). The query engine is WebAssembly + driver adapter.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync, chmodSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dummy = join(root, "node_modules", ".cache", "prisma-dummy-engine");
if (!existsSync(dummy)) {
  mkdirSync(dirname(dummy), { recursive: true });
  writeFileSync(dummy, "#!/bin/sh\nexit 0\n");
  chmodSync(dummy, 0o755);
}
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? dummy,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const schemas = ["prisma/schema.prisma"];
if (existsSync(join(root, "prisma/postgres/schema.prisma"))) schemas.push("prisma/postgres/schema.prisma");
for (const schema of schemas) {
  execFileSync(join(root, "node_modules", ".bin", "prisma"), ["generate", "--schema", schema], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
}
