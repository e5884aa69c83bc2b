import { route } from "@/lib/http/route";
import { impulseZones } from "@/lib/domain/centrifuge/impulse-zones";
import { impulseZonesResponseSchema } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** `{success, data}`: the impulse zones setting. */
export const GET = route({ response: impulseZonesResponseSchema, contract: true, auth: "key|session", role: "viewer" }, () =>
  impulseZones(),
);
