import { json, route } from "@/lib/http/route";
import { createSubscriber, createSubscriberSchema, listSubscribers } from "@/lib/events/subscribers/service";

/** Event subscribers (admin). The webhook secret is in the creation response only. */
export const GET = route({ auth: "session", role: "admin" }, async () => ({ subscribers: await listSubscribers() }));

export const POST = route({ auth: "session", role: "admin", body: createSubscriberSchema }, async ({ body, ctx }) => {
  const { subscriber, secret } = await createSubscriber(ctx, body);
  return json({ subscriber, secret }, { status: 201 });
});
