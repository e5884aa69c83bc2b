import { z } from "zod";
import { filterProblems } from "@/lib/events/filter";
import { parseTypeGlobs } from "@/lib/events/glob";
import { SUBSCRIBER_KINDS } from "@/lib/events/subscribers/config";

/**
 * Subscriber request bodies. Free of server code (no database), so the admin Event system page
 * validates its subscriber form, filter editor included, with exactly these rules.
 */

export const eventTypesField = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine((v) => parseTypeGlobs(v).length > 0, "At least one event type or glob")
  .refine((v) => parseTypeGlobs(v).every((g) => /^[a-z0-9_.*]+$/.test(g)), "Globs use a-z, 0-9, _, . and *");
export const filterField = z
  .record(z.string(), z.unknown())
  .nullable()
  .superRefine((f, ctx) => {
    for (const problem of filterProblems(f)) ctx.addIssue({ code: "custom", message: problem });
  });

export const createSubscriberSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  event_types: eventTypesField,
  filter: filterField.optional(),
  kind: z.enum(SUBSCRIBER_KINDS),
  config: z.record(z.string(), z.unknown()).default({}),
  ordered: z.boolean().default(false),
  max_attempts: z.number().int().min(1).max(20).default(8),
  active: z.boolean().default(true),
});

export const updateSubscriberSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  event_types: eventTypesField.optional(),
  filter: filterField.optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  ordered: z.boolean().optional(),
  max_attempts: z.number().int().min(1).max(20).optional(),
  active: z.boolean().optional(),
});
