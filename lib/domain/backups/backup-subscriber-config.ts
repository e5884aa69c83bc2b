import { z } from "zod";

/**
 * Config of a `backup` subscriber (see backup-handler.ts). Its own module, free of server code, so
 * the admin page's subscriber form can validate with the same rules.
 */
export const backupSubscriberConfigSchema = z.object({
  min_interval_minutes: z
    .number()
    .min(0)
    .max(7 * 24 * 60)
    .optional(),
});
