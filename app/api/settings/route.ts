import { route } from "@/lib/http/route";
import { getSettings, redactSecrets, updateSettings, updateSettingsSchema, type Settings } from "@/lib/domain/settings/settings";
import type { SettingsResponse } from "@/lib/domain/settings/settings-response";
import { settingsResponseSchema, settingsUpdateResponseSchema } from "@/lib/domain/settings/settings-response";

/** The contract's view: `{allocation, tare_weights, test_alert_hours, work_schedule}` (+ our other keys, secrets masked). */
function publicSettings(s: Settings): SettingsResponse {
  return { ...s, pushover: redactSecrets(s.pushover) };
}

export const GET = route({ response: settingsResponseSchema, contract: true, auth: "key|session", role: "viewer" }, async () =>
  publicSettings(await getSettings()),
);

/** Admin only: any subset of the settings, each validated. */
export const PUT = route(
  { response: settingsUpdateResponseSchema, auth: "session", role: "admin", body: updateSettingsSchema },
  async ({ body, ctx }) => ({
    success: true,
    settings: publicSettings(await updateSettings(ctx, body as Partial<Settings>)),
  }),
);
