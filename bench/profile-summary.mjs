#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node bench/polling.mjs --cpu-prof`): self and inclusive time
 * per function, and self time per package / bundle chunk.
 *   node bench/profile-summary.mjs <file.cpuprofile> [--top=40] [--match=regex] [--last=S] [--skip=S]
 * Frames in minified .next chunks are mapped to their sources (the build writes .js.map files).
 * `--match` restricts the inclusive table to functions whose name or file matches; `--last=S`
 * keeps only the samples of the last S seconds (the measurement window), `--skip=S` drops that
 * many seconds at the end (shutdown).
 */
import fs from "node:fs";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: { top: { type: "string", default: "40" }, match: { type: "string" }, last: { type: "string" }, skip: { type: "string" } },
  allowPositionals: true,
});
if (positionals.length !== 1) {
  console.error("usage: node bench/profile-summary.mjs <file.cpuprofile> [--top=N] [--match=regex]");
  process.exit(2);
}
const TOP = Number(values.top);
const profile = JSON.parse(fs.readFileSync(positionals[0], "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));

// Sample time per node (timeDeltas[i] is the time before sample i).
const at = [];
for (let i = 0, t = profile.startTime; i < profile.samples.length; i++) at.push((t += profile.timeDeltas[i] ?? 0));
const end = (at.at(-1) ?? 0) - Number(values.skip ?? 0) * 1e6;
const begin = values.last ? end - Number(values.last) * 1e6 : -Infinity;
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  if (at[i] < begin || at[i] > end) continue;
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Minified .next chunks are mapped back to their sources through the build's .js.map files.
const maps = new Map();
function sourceMapFor(url) {
  if (!url.startsWith("file://") || !url.includes("/.next/")) return null;
  if (!maps.has(url)) {
    let map = null;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${fileURLToPath(url)}.map`, "utf8")));
    } catch {
      /* no map */
    }
    maps.set(url, map);
  }
  return maps.get(url);
}
for (const n of profile.nodes) {
  const f = n.callFrame;
  const entry = sourceMapFor(f.url)?.findEntry(f.lineNumber, f.columnNumber);
  if (entry?.originalSource) {
    const src = entry.originalSource
      .replace(/^(\.\.\/)+/, "")
      .replace(/^.*?node_modules\//, "node_modules/")
      .replace(/^tmp\/bench-app\//, "");
    n.callFrame = {
      ...f,
      functionName: entry.name || f.functionName,
      url: src,
      lineNumber: entry.originalLine,
      columnNumber: entry.originalColumn,
      mapped: true,
    };
  }
}

function shortUrl(url) {
  if (!url) return "";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + "node_modules/".length);
  const next = url.indexOf("/.next/");
  if (next >= 0) return url.slice(next + 1);
  return url.replace(/^file:\/\//, "");
}
const key = (n) => {
  const f = n.callFrame;
  return `${f.functionName || "(anonymous)"}  ${shortUrl(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
};
function pkg(n) {
  const url = n.callFrame.url;
  if (n.callFrame.mapped && !url.startsWith("node_modules/")) return `app: ${url}`;
  if (!url) return n.callFrame.functionName.startsWith("(") ? n.callFrame.functionName : "(native)";
  if (url.startsWith("node:")) return "node core";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const next = url.indexOf("/.next/");
  if (next >= 0) return url.slice(next + 1);
  return shortUrl(url);
}

const selfByFn = new Map();
const selfByPkg = new Map();
const inclByFn = new Map();
for (const [id, us] of selfUs) {
  const n = nodes.get(id);
  selfByFn.set(key(n), (selfByFn.get(key(n)) ?? 0) + us);
  selfByPkg.set(pkg(n), (selfByPkg.get(pkg(n)) ?? 0) + us);
  // Inclusive: every distinct function on the stack gets the sample once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = key(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    inclByFn.set(k, (inclByFn.get(k) ?? 0) + us);
  }
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const show = (title, map, filter = () => true) => {
  console.log(`\n${title}`);
  [...map]
    .filter(([k]) => filter(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .forEach(([k, us]) => console.log(`${ms(us)} ${pct(us)}  ${k}`));
};
console.log(`${positionals[0]}: ${(total / 1000).toFixed(0)} ms sampled`);
show("Self time by package / chunk", selfByPkg);
show("Self time by function", selfByFn);
const re = values.match ? new RegExp(values.match) : null;
show(`Inclusive time by function${re ? ` matching /${values.match}/` : ""}`, inclByFn, (k) => !re || re.test(k));
