import { route } from "@/lib/http/route";
import { APP_VERSION } from "@/lib/version";

export const GET = route({ contract: true, auth: "public", role: "viewer" }, () => ({ version: APP_VERSION }));
