import pino from "pino";
import { requestScope } from "@/lib/context";

/**
 * Structured JSON logs (pretty only when LOG_PRETTY=1 in development). Every line logged inside a
 * request carries its traceId and actor through the request scope. Rotation is left to the
 * platform (journald / logrotate), see README "Operations".
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: process.env.PREROLL_PROCESS ?? "web" },
  redact: { paths: ["password", "*.password", "api_key", "*.api_key", "headers.cookie", 'headers["x-api-key"]'], remove: true },
  mixin() {
    const scope = requestScope.getStore();
    return scope ? { traceId: scope.traceId, actor: scope.actor } : {};
  },
  ...(process.env.LOG_PRETTY === "1" ? { transport: { target: "pino-pretty" } } : {}),
});
