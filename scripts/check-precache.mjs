/**
 * Runs after `next build --webpack` (package.json `build`, scripts/start.mjs): fails the build when
 * the service worker's precache manifest (public/sw.js) is missing, lost a file of the build (e.g.
 * dropped for its size) or lists a URL that would 404 (one 404 fails the worker's install, and
 * the tablets would stay on the old version). Prints one line and exits 1 on failure.
 */
import fs from "node:fs";
import path from "node:path";

const ROOT = path.join(import.meta.dirname, "..");
const SW = path.join(ROOT, "public", "sw.js");
const STATIC = path.join(ROOT, ".next", "static");
// Same exclusions as next.config.ts: source maps and licence files are not needed offline.
const NOT_PRECACHED = [/\.map$/, /\.LICENSE\.txt$/, /\.nft\.json$/, /^\/_next\/static\/chunks\/app\/api\//];
// Files only desk/admin pages load, left out on purpose (written by next.config.ts during the build).
const DESK_ONLY_LIST = path.join(ROOT, ".next", "precache-desk-only.json");
const deskOnly = new Set(
  fs.existsSync(DESK_ONLY_LIST) ? JSON.parse(fs.readFileSync(DESK_ONLY_LIST, "utf8")).map((file) => `/_next/${file}`) : [],
);

function fail(message) {
  console.error(`check-precache: ${message}`);
  process.exit(1);
}

if (!fs.existsSync(SW)) fail("public/sw.js was not written (build with `next build --webpack`)");
const source = fs.readFileSync(SW, "utf8");
if (source.includes("__WB_MANIFEST")) fail("public/sw.js has no precache manifest injected");
// The injected manifest is a JS literal: `{'revision':…,'url':'/…'}` (quote style is the plugin's).
// URLs are compared decoded: dynamic-route chunks are precached as `%5Bid%5D` (next.config.ts).
const urls = new Set([...source.matchAll(/["']url["']\s*:\s*["']([^"']+)["']/g)].map((m) => decodeURIComponent(m[1])));
if (urls.size === 0) fail("public/sw.js precaches nothing");

const missing = [];
for (const url of urls) {
  const file = url.startsWith("/_next/static/") ? path.join(STATIC, url.slice("/_next/static/".length)) : path.join(ROOT, "public", url);
  if (!fs.existsSync(file)) missing.push(url);
}
if (missing.length) fail(`${missing.length} precache URL(s) do not exist and would 404: ${missing.slice(0, 5).join(", ")}`);

const dropped = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else {
      const url = `/_next/static/${path.relative(STATIC, full).split(path.sep).join("/")}`;
      if (!NOT_PRECACHED.some((re) => re.test(url)) && !deskOnly.has(url) && !urls.has(url)) dropped.push(url);
    }
  }
};
walk(STATIC);
if (dropped.length) fail(`${dropped.length} build file(s) left out of the precache (too large?): ${dropped.slice(0, 5).join(", ")}`);
if (!urls.has("/offline.html")) fail("the offline page is not precached");

for (const url of urls) if (deskOnly.has(url)) fail(`a desk-only file is precached: ${url}`);
console.log(`check-precache: ${urls.size} entries, all present; ${deskOnly.size} desk-only files left out`);
