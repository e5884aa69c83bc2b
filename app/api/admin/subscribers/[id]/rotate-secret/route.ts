import { route } from "@/lib/http/route";
import { idParams } from "@/lib/http/params";
import { rotateSecret } from "@/lib/events/subscribers/service";

/** New `whsec_` secret, shown once; the previous one keeps signing for 24 h. */
export const POST = route({ auth: "session", role: "admin", params: idParams }, async ({ params, ctx }) => rotateSecret(ctx, params.id));
