import { route } from "@/lib/http/route";
import { getPushoverSettings, updatePushoverSchema, updatePushoverSettings } from "@/lib/domain/alerts/pushover-settings";

/** `{enabled, user_key (masked), warning_grams, critical_grams, cooldown_hours, has_user_key, …}` (contract). */
export const GET = route({ contract: true, auth: "session", role: "viewer" }, () => getPushoverSettings());

/** Admin: any of enabled, user_key, app_token, warning_grams, critical_grams, cooldown_hours (≥ 1). */
export const PUT = route({ contract: true, auth: "session", role: "admin", body: updatePushoverSchema }, ({ body, ctx }) =>
  updatePushoverSettings(ctx, body),
);
