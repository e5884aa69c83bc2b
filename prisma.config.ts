import { defineConfig } from "prisma/config";

// Prisma 7: the datasource URL lives here. Migrations are applied by scripts/migrate.mjs
// (WebAssembly schema engine, works offline); this config is only read by `prisma generate`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/preroll.db" },
});
