import { route } from "@/lib/http/route";
import { impulseZones } from "@/lib/domain/centrifuge/impulse-zones";

/** `{success, data}`: the impulse zones setting. */
export const GET = route({ contract: true, auth: "key|session", role: "viewer" }, () => impulseZones());
