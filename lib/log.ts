import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { requestScope } from "@/lib/context";
import { config } from "@/lib/config/env";

/**
 * Structured JSON logs, one object a line on stdout. Human-readable (pino-pretty) when LOG_PRETTY=1,
 * and by default under `npm run dev` (NODE_ENV=development; LOG_PRETTY=0 turns it off). Every line
 * logged inside a request carries its traceId and actor through the request scope. Rotation and
 * retention are left to the platform (journald / logrotate / docker), see .env.example.
 */
function prettyByDefault(): boolean {
  const pretty = config().LOG_PRETTY;
  if (pretty) return pretty === "1" || pretty === "true";
  return config().NODE_ENV === "development";
}

function options(level?: string): LoggerOptions {
  return {
    level: level ?? config().LOG_LEVEL ?? (config().NODE_ENV === "test" ? "warn" : "info"),
    base: { service: config().PREROLL_PROCESS ?? "web" },
    redact: { paths: ["password", "*.password", "api_key", "*.api_key", "headers.cookie", 'headers["x-api-key"]'], remove: true },
    mixin() {
      const scope = requestScope.getStore();
      return scope ? { traceId: scope.traceId, actor: scope.actor } : {};
    },
  };
}

/**
 * A logger with the app's settings. With a `destination` (tests: a stream that collects lines) it
 * writes there as JSON instead of stdout.
 */
export function createLogger(destination?: DestinationStream, level?: string): Logger {
  if (destination) return pino(options(level), destination);
  return pino({ ...options(level), ...(prettyByDefault() ? { transport: { target: "pino-pretty" } } : {}) });
}

export const logger = createLogger();
