import { route } from "@/lib/http/route";
import { getPushoverSettings, updatePushoverSchema, updatePushoverSettings } from "@/lib/domain/alerts/pushover-settings";
import { pushoverSettingsViewSchema, pushoverSettingsSaveResponseSchema } from "@/lib/domain/alerts/pushover-response";

/** `{enabled, user_key (masked), warning_grams, critical_grams, cooldown_hours, has_user_key, …}` (contract). */
export const GET = route({ response: pushoverSettingsViewSchema, contract: true, auth: "session", role: "viewer" }, () =>
  getPushoverSettings(),
);

/** Admin: any of enabled, user_key, app_token, warning_grams, critical_grams, cooldown_hours (≥ 1). */
export const PUT = route(
  { response: pushoverSettingsSaveResponseSchema, contract: true, auth: "session", role: "admin", body: updatePushoverSchema },
  ({ body, ctx }) => updatePushoverSettings(ctx, body),
);
