import { z } from "zod";
import { createSubscriberSchema, filterField } from "@/lib/events/subscribers/schemas";
import { webhookConfigSchema } from "@/lib/events/subscribers/config";

/**
 * The subscriber form's rules: the server's own field schemas (lib/events/subscribers/schemas.ts),
 * with the filter and config typed as JSON text. Loaded on first use (lazyZodResolver).
 */

function jsonObjectText(label: string) {
  return z.string().transform((text, ctx): Record<string, unknown> | null => {
    if (!text.trim()) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `${label} is not valid JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: `${label} must be a JSON object, e.g. {"payload.strain": "Blue*"}` });
      return z.NEVER;
    }
    return value as Record<string, unknown>;
  });
}

const shape = createSubscriberSchema.shape;

export const subscriberFormSchema = z
  .object({
    name: shape.name,
    kind: shape.kind,
    event_types: shape.event_types,
    url: z.string().trim(),
    config: jsonObjectText("Config"),
    filter: jsonObjectText("Filter").pipe(filterField),
    max_attempts: z.number({ error: "A whole number from 1 to 20" }).int().min(1).max(20),
    ordered: z.boolean(),
    active: z.boolean(),
  })
  .superRefine((v, ctx) => {
    if (v.kind !== "webhook") return;
    const url = webhookConfigSchema.shape.url.safeParse(v.url);
    if (!url.success) ctx.addIssue({ code: "custom", path: ["url"], message: url.error.issues[0]?.message ?? "Invalid URL" });
  });

export type SubscriberFormInput = z.input<typeof subscriberFormSchema>;
export type SubscriberFormOutput = z.output<typeof subscriberFormSchema>;
