/**
 * Debian's Chromium and the flags every headless run here uses (Playwright's own browser download
 * is unreachable): shared by playwright.config.ts and bench/floor.mjs.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
