import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { deleteSubscriber, getSubscriber, updateSubscriber, updateSubscriberSchema } from "@/lib/events/subscribers/service";

export const GET = route({ auth: "session", role: "admin", params: idParams }, async ({ params }) => ({
  subscriber: await getSubscriber(params.id),
}));

export const PATCH = route(
  { auth: "session", role: "admin", params: idParams, body: updateSubscriberSchema },
  async ({ params, body, ctx }) => ({
    subscriber: await updateSubscriber(ctx, params.id, body),
  }),
);

export const DELETE = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx }) =>
  deleteSubscriber(ctx, params.id),
);
