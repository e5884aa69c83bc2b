import { z } from "zod";
import { backupSubscriberConfigSchema } from "@/lib/domain/backups/backup-subscriber-config";

/** Subscriber handler kinds and the config each takes. */

export const SUBSCRIBER_KINDS = ["webhook", "notify", "import", "backup", "cache"] as const;
export type SubscriberKind = (typeof SUBSCRIBER_KINDS)[number];

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;
export const MAX_WEBHOOK_TIMEOUT_MS = 30_000;

export const webhookConfigSchema = z.strictObject({
  url: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), "Only http and https URLs"),
  timeout_ms: z.number().int().min(1000).max(MAX_WEBHOOK_TIMEOUT_MS).optional(),
  /** Extra request headers (e.g. an Authorization the receiver wants beside the signature). */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/), z.string().max(2000)).optional(),
});

export const notifyConfigSchema = z.strictObject({
  /** Title; `{type}` is replaced by the event type. Default "PreRoll Tracker: {type}". */
  title: z.string().max(250).optional(),
  /** Message; `{type}`, `{id}` and `{payload}` (JSON) are replaced. Default: type + payload. */
  message: z.string().max(1024).optional(),
  priority: z.union([z.literal(-2), z.literal(-1), z.literal(0), z.literal(1)]).optional(),
});

/** `import`: a `file.received` file into store sales, papers/cones or finished goods (`auto`: by its headers). */
export const IMPORT_TARGET_SETTINGS = ["auto", "sales", "papers", "finished_goods"] as const;
export const importConfigSchema = z.strictObject({
  target: z.enum(IMPORT_TARGET_SETTINGS).default("auto"),
});

export const configSchemas: Record<SubscriberKind, z.ZodType> = {
  webhook: webhookConfigSchema,
  notify: notifyConfigSchema,
  import: importConfigSchema,
  backup: backupSubscriberConfigSchema,
  cache: z.strictObject({ keys: z.array(z.string()).optional() }),
};

export type WebhookConfig = z.output<typeof webhookConfigSchema>;
export type NotifyConfig = z.output<typeof notifyConfigSchema>;
export type ImportConfig = z.output<typeof importConfigSchema>;
