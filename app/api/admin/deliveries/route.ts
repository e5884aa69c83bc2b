import { z } from "zod";
import { route } from "@/lib/http/route";
import { DELIVERY_STATUSES, listDeliveries } from "@/lib/events/delivery/queue";
import { deliveryListResponseSchema } from "@/lib/events/admin-response";

const query = z.object({
  status: z
    .string()
    .optional()
    .transform((s) =>
      s
        ? s
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined,
    )
    .pipe(z.array(z.enum(DELIVERY_STATUSES)).optional()),
  subscriber_id: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The delivery queue: `?status=pending,failed&subscriber_id=…&limit=…`, newest first, with counts per status. */
export const GET = route({ response: deliveryListResponseSchema, auth: "session", role: "admin", query }, async ({ query }) =>
  listDeliveries(query),
);
