import { json, route } from "@/lib/http/route";
import { createSubscriber, createSubscriberSchema, listSubscribers } from "@/lib/events/subscribers/service";
import { subscriberListResponseSchema, subscriberSecretResponseSchema } from "@/lib/events/admin-response";

/** Event subscribers (admin). The webhook secret is in the creation response only. */
export const GET = route({ response: subscriberListResponseSchema, auth: "session", role: "admin" }, async () => ({
  subscribers: await listSubscribers(),
}));

export const POST = route(
  { response: subscriberSecretResponseSchema, status: 201, auth: "session", role: "admin", body: createSubscriberSchema },
  async ({ body, ctx }) => {
    const { subscriber, secret } = await createSubscriber(ctx, body);
    return json({ subscriber, secret }, { status: 201 });
  },
);
