import type { NextConfig } from "next";
import path from "node:path";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { withSentryConfig } from "@sentry/nextjs/config";
import { securityHeaders } from "./lib/config/security-headers";
import { resolveRelease } from "./lib/observability/release";

/**
 * Evaluated at build time (and by `next dev`). Everything read from the environment here is baked
 * into the build, so scripts/start.mjs rebuilds when one of those variables changes.
 */
const sentryDsn = process.env.SENTRY_DSN?.trim() ?? "";
// The git SHA only matters when Sentry is on; resolveRelease never throws (no git → undefined).
const sentryRelease = sentryDsn ? resolveRelease() : undefined;

/** Files of public/ the service worker precaches besides the build's own (revision = content hash). */
const PRECACHED_PUBLIC_FILES = [
  "offline.html",
  "manifest.json",
  "favicon.ico",
  "icon-192.png",
  "icon-512.png",
  "icon-maskable-512.png",
  "apple-touch-icon.png",
];

/**
 * Adds the service worker to the production client build (SPEC §8: workbox-webpack-plugin's
 * InjectManifest, `next build --webpack`): lib/pwa/service-worker.ts is compiled with the client
 * config and written to public/sw.js with the precache manifest injected. Server files and
 * Next's build manifests are not served to browsers and would 404 in the precache.
 * scripts/check-precache.mjs fails the build when an entry was dropped or does not exist.
 */
type WebpackHook = NonNullable<NextConfig["webpack"]>;

/** Client entries of the desk and admin pages (UI-GUIDE §2): managers' pages, not the tablets'. */
const DESK_ENTRY = /^app\/\((desk|admin)\)\//;
type ChunkGroupLike = { name?: string | null; isInitial(): boolean; getParents(): ChunkGroupLike[]; chunks: { files: Iterable<string> }[] };
const deskOnlyCache = new WeakMap<object, Set<string>>();

/**
 * Files of the client build that only desk/admin pages load (their route chunks, recharts, the
 * editors): left out of the precache, so a floor tablet does not download them at install; they are
 * still fetched (and cached) if a manager opens such a page. Written to .next/precache-desk-only.json
 * for scripts/check-precache.mjs, which otherwise fails the build on a file missing from the precache.
 */
function deskOnlyAssets(compilation: { chunkGroups: ChunkGroupLike[] }): Set<string> {
  const cached = deskOnlyCache.get(compilation);
  if (cached) return cached;
  const entriesOf = (group: ChunkGroupLike, seen: Set<ChunkGroupLike>): string[] => {
    if (seen.has(group)) return [];
    seen.add(group);
    if (group.isInitial()) return [group.name ?? ""];
    return group.getParents().flatMap((parent) => entriesOf(parent, seen));
  };
  const usedBy = new Map<string, Set<string>>();
  for (const group of compilation.chunkGroups) {
    const entries = entriesOf(group, new Set());
    for (const chunk of group.chunks)
      for (const file of chunk.files) {
        const set = usedBy.get(file) ?? new Set<string>();
        for (const e of entries) set.add(e);
        usedBy.set(file, set);
      }
  }
  const deskOnly = new Set(
    [...usedBy].filter(([, entries]) => entries.size > 0 && [...entries].every((e) => DESK_ENTRY.test(e))).map(([file]) => file),
  );
  fs.mkdirSync(path.join(process.cwd(), ".next"), { recursive: true });
  fs.writeFileSync(path.join(process.cwd(), ".next", "precache-desk-only.json"), JSON.stringify([...deskOnly].sort(), null, 1));
  deskOnlyCache.set(compilation, deskOnly);
  return deskOnly;
}
const withServiceWorker: WebpackHook = (config, { isServer, dev }) => {
  if (isServer || dev) return config;
  // Loaded only while building: `next start` never needs webpack.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { InjectManifest } = require("workbox-webpack-plugin") as typeof import("workbox-webpack-plugin");
  const publicDir = path.join(process.cwd(), "public");
  config.plugins.push(
    new InjectManifest({
      swSrc: path.join(process.cwd(), "lib", "pwa", "service-worker.ts"),
      swDest: path.join(publicDir, "sw.js"),
      // API routes' client chunks are never loaded by a page: not worth a tablet's download.
      exclude: [
        /^server\//,
        /^static\/chunks\/app\/api\//,
        /build-manifest\.json$/,
        /react-loadable-manifest\.json$/,
        /\.map$/,
        /\.LICENSE\.txt$/,
        /\.nft\.json$/,
        // workbox-webpack-plugin 7 stops at the first function of `exclude` and returns its answer, so
        // this one must also leave out what the plugin's own (later) function would: the worker itself.
        ({ asset, compilation }: { asset: { name: string }; compilation: unknown }) =>
          asset.name === path.relative(path.join(process.cwd(), ".next"), path.join(publicDir, "sw.js")) ||
          deskOnlyAssets(compilation as { chunkGroups: ChunkGroupLike[] }).has(asset.name),
      ],
      maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      // Next requests dynamic-route chunks with the brackets percent-encoded
      // (`app/(floor)/batches/%5Bid%5D/page-….js`); precache them under that URL or they never match.
      manifestTransforms: [
        async (entries) => ({
          manifest: entries.map((e) => ({ ...e, url: e.url.replace(/\[/g, "%5B").replace(/\]/g, "%5D") })),
          warnings: [],
        }),
      ],
      additionalManifestEntries: PRECACHED_PUBLIC_FILES.map((file) => ({
        url: `/${file}`,
        revision: createHash("sha256")
          .update(fs.readFileSync(path.join(publicDir, file)))
          .digest("hex")
          .slice(0, 16),
      })),
    }),
  );
  return config;
};

const nextConfig: NextConfig = {
  poweredByHeader: false,
  webpack: withServiceWorker,
  // `next dev` runs Turbopack (no service worker there); the webpack hook above is for the build.
  turbopack: {},
  // The contract's paths keep their trailing slash (`GET /api/finished-goods/`, `/api/inventory/`):
  // serve both spellings directly instead of a 308 on every ApexAPI poll.
  skipTrailingSlashRedirect: true,
  // Native and worker-thread packages, and those with optional drivers they never load, stay
  // outside the server bundle (undici: the webhook client; its optional node:sqlite cache store).
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "pino",
    "pino-pretty",
    "ioredis",
    "rate-limiter-flexible",
    "undici",
  ],
  // The browser Sentry SDK (instrumentation-client.ts) learns its settings at build time.
  env: {
    NEXT_PUBLIC_SENTRY_DSN: sentryDsn,
    NEXT_PUBLIC_SENTRY_ENVIRONMENT: process.env.SENTRY_ENVIRONMENT?.trim() ?? "",
    NEXT_PUBLIC_SENTRY_TRACES_SAMPLE_RATE: process.env.SENTRY_TRACES_SAMPLE_RATE?.trim() ?? "",
    NEXT_PUBLIC_SENTRY_PROFILES_SAMPLE_RATE: process.env.SENTRY_PROFILES_SAMPLE_RATE?.trim() ?? "",
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders(process.env) },
      // The worker must never be served from an HTTP cache, or tablets would miss updates.
      { source: "/sw.js", headers: [{ key: "Cache-Control", value: "no-cache" }] },
      { source: "/manifest.json", headers: [{ key: "Content-Type", value: "application/manifest+json" }] },
    ];
  },
};

/**
 * Sentry's documented wrapper. Without SENTRY_DSN the SDKs are never started (see
 * sentry.*.config.ts); source maps are uploaded (then deleted from the build) only when
 * SENTRY_AUTH_TOKEN, SENTRY_ORG and SENTRY_PROJECT are set; no build telemetry is sent.
 * The server side is wrapped whatever the build's DSN (the server reads SENTRY_DSN at run time).
 */
const withSentry = withSentryConfig(nextConfig, {
  org: process.env.SENTRY_ORG,
  project: process.env.SENTRY_PROJECT,
  authToken: process.env.SENTRY_AUTH_TOKEN,
  release: { name: sentryRelease, create: Boolean(process.env.SENTRY_AUTH_TOKEN && sentryRelease) },
  sourcemaps: { disable: !process.env.SENTRY_AUTH_TOKEN },
  telemetry: false,
  silent: !process.env.CI,
  // The route manifest (for parameterised transaction names) is only read by the browser SDK.
  routeManifestInjection: sentryDsn ? undefined : false,
});

/**
 * A build without a DSN has no browser Sentry (instrumentation-client.ts drops it), so nothing of
 * Sentry's may reach the browser bundles either: withSentryConfig would still inject its globals
 * (`_sentryNextJsVersion`, …) into instrumentation-client.ts through a Turbopack rule, and under
 * `next build --webpack` add that loader plus its bundler plugin to the client compilation.
 * Drop both (the client build keeps only our service worker); the server and edge compilations keep everything.
 */
function withoutBrowserSentry(config: NextConfig): NextConfig {
  const out: NextConfig = { ...config };
  if (config.turbopack?.rules) {
    const rules = Object.fromEntries(Object.entries(config.turbopack.rules).filter(([glob]) => !glob.includes("instrumentation-client")));
    out.turbopack = { ...config.turbopack, rules };
  }
  const sentryWebpack = config.webpack;
  if (sentryWebpack) {
    out.webpack = (webpackConfig, context) =>
      context.isServer ? sentryWebpack(webpackConfig, context) : withServiceWorker(webpackConfig, context);
  }
  return out;
}

export default sentryDsn ? withSentry : withoutBrowserSentry(withSentry);
