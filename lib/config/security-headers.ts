/**
 * Response headers for every path (SPEC §7), set from next.config.ts `headers()` — evaluated when
 * the app is built, so scripts/start.mjs rebuilds when a variable used here changes.
 *
 * CSP: everything from our own origin. Scripts need 'unsafe-inline' because the App Router
 * streams its page data as inline `<script>` tags; a nonce instead would need a proxy on every
 * request and turn off static rendering of every page. Styles need it for React `style`
 * attributes. Development adds what Next's dev server needs ('unsafe-eval', the HMR websocket).
 * The Sentry ingest origin is allowed only when the browser SDK is enabled (SENTRY_DSN).
 * HSTS only in production over https (see `hstsEnabled`).
 */
export interface Header {
  key: string;
  value: string;
}

type Env = Record<string, string | undefined>;

const set = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

/** Same rule as the session cookie's Secure flag (lib/auth/next-auth.ts), production only; HSTS=true|false overrides. */
export function hstsEnabled(env: Env): boolean {
  const explicit = set(env.HSTS);
  if (explicit) return explicit === "true";
  if (env.NODE_ENV !== "production") return false;
  const cookieSecure = set(env.COOKIE_SECURE);
  if (cookieSecure) return cookieSecure === "true";
  return (set(env.NEXTAUTH_URL) ?? set(env.APP_URL) ?? "").startsWith("https://");
}

function sentryOrigin(env: Env): string | undefined {
  const dsn = set(env.SENTRY_DSN);
  if (!dsn) return undefined;
  try {
    return new URL(dsn).origin;
  } catch {
    return undefined;
  }
}

export function contentSecurityPolicy(env: Env): string {
  const dev = env.NODE_ENV === "development";
  const sentry = sentryOrigin(env);
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", ...(dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...(sentry ? [sentry] : []), ...(dev ? ["ws:", "wss:"] : [])],
    "worker-src": ["'self'"],
    "manifest-src": ["'self'"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (hstsEnabled(env)) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

export function securityHeaders(env: Env = process.env): Header[] {
  const headers: Header[] = [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(env) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
  if (hstsEnabled(env)) headers.push({ key: "Strict-Transport-Security", value: "max-age=31536000" });
  // The browser profiler (instrumentation-client.ts) only runs on documents that allow it.
  if (sentryOrigin(env)) headers.push({ key: "Document-Policy", value: "js-profiling" });
  return headers;
}
