import { route } from "@/lib/http/route";
import { APP_VERSION } from "@/lib/version";
import { versionResponseSchema } from "@/lib/domain/system/system-response";

export const GET = route({ response: versionResponseSchema, contract: true, auth: "public", role: "viewer" }, () => ({
  version: APP_VERSION,
}));
