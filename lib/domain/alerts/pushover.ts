import type { Settings } from "@/lib/domain/settings/settings";
import { config } from "@/lib/config/env";

/**
 * The Pushover sender: one HTTPS form POST to `{PUSHOVER_API_URL}/1/messages.json` (default
 * https://api.pushover.net). It never throws — the result says whether Pushover accepted the
 * message — so callers (the alert check now, the event-driven `notify` subscriber later) decide
 * what a failure means. Credentials come from the `pushover` setting, falling back to the
 * PUSHOVER_USER_KEY / PUSHOVER_APP_TOKEN environment variables (as the old system did).
 */

export const DEFAULT_PUSHOVER_API_URL = "https://api.pushover.net";
const TIMEOUT_MS = 10_000;

export interface PushoverCredentials {
  /** Application token. */
  token: string;
  /** User (or group) key. */
  user: string;
}

export interface PushoverMessage {
  title?: string;
  message: string;
  /** -2 lowest … 1 high (2, emergency, needs retry/expire and is not used). */
  priority?: -2 | -1 | 0 | 1;
  url?: string;
  url_title?: string;
  /** Unix seconds shown as the message time. */
  timestamp?: number;
}

export interface PushoverResult {
  ok: boolean;
  /** HTTP status, or null when Pushover could not be reached. */
  status: number | null;
  /** Pushover's request id (for their support), when it answered. */
  request: string | null;
  error: string | null;
}

export function pushoverApiUrl(): string {
  return (config().PUSHOVER_API_URL || DEFAULT_PUSHOVER_API_URL).replace(/\/+$/, "");
}

/** Credentials from the setting, else the environment; null when either half is missing. */
export function pushoverCredentials(pushover: Settings["pushover"]): PushoverCredentials | null {
  const user = pushover.user_key || config().PUSHOVER_USER_KEY || "";
  const token = pushover.app_token || config().PUSHOVER_APP_TOKEN || "";
  return user && token ? { user, token } : null;
}

/** Sends one message. Message text is cut to Pushover's limits (1024 characters; title 250). */
export async function sendPushover(
  credentials: PushoverCredentials,
  msg: PushoverMessage,
  options: { baseUrl?: string; timeoutMs?: number } = {},
): Promise<PushoverResult> {
  const form = new URLSearchParams({ token: credentials.token, user: credentials.user, message: msg.message.slice(0, 1024) || "(empty)" });
  if (msg.title) form.set("title", msg.title.slice(0, 250));
  if (msg.priority !== undefined) form.set("priority", String(msg.priority));
  if (msg.url) form.set("url", msg.url.slice(0, 512));
  if (msg.url_title) form.set("url_title", msg.url_title.slice(0, 100));
  if (msg.timestamp !== undefined) form.set("timestamp", String(Math.floor(msg.timestamp)));
  let res: Response;
  try {
    res = await fetch(`${options.baseUrl ?? pushoverApiUrl()}/1/messages.json`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, status: null, request: null, error: `Pushover could not be reached: ${(err as Error).message}` };
  }
  let body: { status?: number; request?: string; errors?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    body = {};
  }
  const ok = res.ok && body.status === 1;
  const errors = Array.isArray(body.errors) ? body.errors.map(String).join("; ") : null;
  return {
    ok,
    status: res.status,
    request: typeof body.request === "string" ? body.request : null,
    error: ok ? null : errors || `Pushover answered HTTP ${res.status}`,
  };
}

/** Title, text and priority of a stock alert (the `inventory.alert` payload's fields). */
export function formatAlertNotification(alert: { level: "warning" | "critical"; message: string }): PushoverMessage {
  return {
    title: alert.level === "critical" ? "PreRoll Tracker: CRITICAL low stock" : "PreRoll Tracker: low stock",
    message: alert.message,
    priority: alert.level === "critical" ? 1 : 0,
  };
}

/**
 * The notifier: sends a message when the `pushover` setting is enabled and credentials exist.
 * `skipped` says why nothing was sent.
 */
export async function notifyPushover(
  pushover: Settings["pushover"],
  msg: PushoverMessage,
): Promise<PushoverResult & { skipped: null | "disabled" | "not_configured" }> {
  if (!pushover.enabled) return { ok: false, status: null, request: null, error: null, skipped: "disabled" };
  const credentials = pushoverCredentials(pushover);
  if (!credentials) return { ok: false, status: null, request: null, error: null, skipped: "not_configured" };
  return { ...(await sendPushover(credentials, msg)), skipped: null };
}
