import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { deleteSubscriber, getSubscriber, updateSubscriber, updateSubscriberSchema } from "@/lib/events/subscribers/service";
import { adminSuccessResponseSchema, subscriberResponseSchema } from "@/lib/events/admin-response";

export const GET = route({ response: subscriberResponseSchema, auth: "session", role: "admin", params: idParams }, async ({ params }) => ({
  subscriber: await getSubscriber(params.id),
}));

export const PATCH = route(
  { response: subscriberResponseSchema, auth: "session", role: "admin", params: idParams, body: updateSubscriberSchema },
  async ({ params, body, ctx }) => ({
    subscriber: await updateSubscriber(ctx, params.id, body),
  }),
);

export const DELETE = route(
  { response: adminSuccessResponseSchema, auth: "session", role: "admin", params: idParams },
  async ({ params, ctx }) => deleteSubscriber(ctx, params.id),
);
