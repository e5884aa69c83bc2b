import { z } from "zod";
import { INBOUND_HANDLER_TYPES } from "@/lib/events/sources/inbound-handlers";
import { config } from "@/lib/config/env";

/**
 * Event source configuration (SPEC §4.4, seed 003): where to poll, how the cursor is passed,
 * which remote types map to which local handler, and the auth header the remote wants.
 */

export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;
/** Used when neither the source nor EVENT_POLLING_INTERVAL says otherwise (the column's default). */
export const FALLBACK_INTERVAL_SECONDS = 60;

/** EVENT_POLLING_INTERVAL (seconds): the interval given to a source created without its own. */
export function defaultPollingIntervalSeconds(raw = config().EVENT_POLLING_INTERVAL): number {
  if (!Number.isInteger(raw) || raw <= 0) return FALLBACK_INTERVAL_SECONDS;
  return Math.min(MAX_INTERVAL_SECONDS, Math.max(MIN_INTERVAL_SECONDS, raw));
}

const nameField = z.string().trim().min(1).max(100);
const urlField = z
  .url()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u), "Only http and https URLs");
const cursorParamField = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9_.\-[\]]+$/, "A query parameter name (letters, digits, _ . - [ ])");
const limitField = z.number().int().min(1).max(1000);
/**
 * `{"<remote type or glob>": "<local handler type>"}`; `*` in a key matches any run of
 * characters. An exact key wins over globs; among globs the first listed wins.
 */
const typeMappingField = z.record(z.string().trim().min(1).max(200), z.string()).superRefine((mapping, ctx) => {
  if (Object.keys(mapping).length > 200) ctx.addIssue({ code: "custom", message: "At most 200 mappings" });
  for (const [remote, local] of Object.entries(mapping)) {
    if (!(INBOUND_HANDLER_TYPES as string[]).includes(local)) {
      ctx.addIssue({
        code: "custom",
        path: [remote],
        message: `Unknown local type "${local}"; handlers: ${INBOUND_HANDLER_TYPES.join(", ")}`,
      });
    }
  }
});
/**
 * Either a full header line (`X-API-Key: abc`) or the value of `Authorization` (`Bearer abc`).
 * Stored as given; responses show it redacted.
 */
const authHeaderField = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .refine((v) => !/[\r\n]/.test(v), "One line only");
const intervalField = z.number().int().min(MIN_INTERVAL_SECONDS).max(MAX_INTERVAL_SECONDS);
const cursorField = z.string().trim().min(1).max(500);

export const createEventSourceSchema = z.strictObject({
  name: nameField,
  url: urlField,
  cursor_param: cursorParamField.default("after"),
  limit: limitField.default(100),
  type_mapping: typeMappingField.default({}),
  auth_header: authHeaderField.nullable().optional(),
  /** Seconds between polls; default EVENT_POLLING_INTERVAL. */
  interval_seconds: intervalField.optional(),
  active: z.boolean().default(true),
  /** Start after this remote event id instead of at the beginning of the feed. */
  cursor: cursorField.nullable().optional(),
});

export const updateEventSourceSchema = z
  .strictObject({
    name: nameField.optional(),
    url: urlField.optional(),
    cursor_param: cursorParamField.optional(),
    limit: limitField.optional(),
    type_mapping: typeMappingField.optional(),
    /** null removes it; the redacted form GET shows (`••••…`) keeps the stored value. */
    auth_header: authHeaderField.nullable().optional(),
    interval_seconds: intervalField.optional(),
    active: z.boolean().optional(),
    /** Rewind or skip: the next poll asks for events after this id (null: from the start). */
    cursor: cursorField.nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Nothing to update" });

export type CreateEventSourceInput = z.output<typeof createEventSourceSchema>;
export type UpdateEventSourceInput = z.output<typeof updateEventSourceSchema>;

export const REDACTED_PREFIX = "••••";

/**
 * The auth header as responses and audit rows show it: the header name (if one was given) and
 * at most the last 4 characters of a long secret, like `redactSecrets` in settings.
 */
export function redactAuthHeader(value: string | null): string | null {
  if (!value) return null;
  const line = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(value);
  const secret = line ? line[2] : value;
  const shown = secret.length >= 12 ? `${REDACTED_PREFIX}${secret.slice(-4)}` : REDACTED_PREFIX;
  return line ? `${line[1]}: ${shown}` : shown;
}

/** True for a value a client sent back from GET (redacted), which must not replace the secret. */
export function isRedacted(value: string): boolean {
  return value.includes(REDACTED_PREFIX);
}

/** `[name, value]` of the request header an `auth_header` setting stands for. */
export function authHeaderPair(value: string): [string, string] {
  const line = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(value);
  return line ? [line[1], line[2]] : ["Authorization", value];
}
