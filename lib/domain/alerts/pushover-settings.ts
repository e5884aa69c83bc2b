import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { ApiError, badRequest } from "@/lib/http/errors";
import { getSettings, isMaskedSecret, redactSecrets, updateSettings, type Settings } from "@/lib/domain/settings/settings";
import { pushoverCredentials, sendPushover } from "@/lib/domain/alerts/pushover";
import { updatePushoverSchema, type testLevels } from "@/lib/domain/alerts/pushover-schema";
import type { PushoverSettingsView } from "@/lib/domain/alerts/pushover-response";
import { config } from "@/lib/config/env";

export { pushoverTestQuery, testLevels, updatePushoverSchema } from "@/lib/domain/alerts/pushover-schema";

/**
 * `GET/PUT /api/pushover/settings` and `POST /api/pushover/test` over the `pushover` setting.
 * Keys are never returned in clear: `user_key` is masked (`••••` + last 4), `has_user_key` says
 * whether one is set (in the setting or the PUSHOVER_USER_KEY environment variable).
 */

export function pushoverView(p: Settings["pushover"]): PushoverSettingsView {
  const envUser = config().PUSHOVER_USER_KEY || null;
  const envToken = config().PUSHOVER_APP_TOKEN || null;
  const userKey = p.user_key || envUser;
  return {
    enabled: p.enabled,
    user_key: userKey ? redactSecrets({ user_key: userKey }).user_key : null,
    warning_grams: p.warning_grams,
    critical_grams: p.critical_grams,
    cooldown_hours: p.cooldown_hours,
    has_user_key: Boolean(userKey),
    has_app_token: Boolean(p.app_token || envToken),
    key_source: p.user_key ? "settings" : envUser ? "environment" : null,
  };
}

export async function getPushoverSettings() {
  return pushoverView((await getSettings()).pushover);
}

function keyValue(input: string | null | undefined, current: string | null): string | null {
  if (input === undefined) return current;
  if (input === null || input === "") return null;
  if (isMaskedSecret(input)) return current;
  return input;
}

/**
 * Admin: any of the fields; the merged setting is validated (critical ≤ warning) and saved. The
 * current setting is read inside the transaction that writes it, so two saves of different fields
 * at once both count.
 */
export async function updatePushoverSettings(ctx: ActorContext, body: z.output<typeof updatePushoverSchema>) {
  const saved = await updateSettings(ctx, ({ pushover: current }) => {
    const next: Settings["pushover"] = {
      enabled: body.enabled ?? current.enabled,
      user_key: keyValue(body.user_key, current.user_key),
      app_token: keyValue(body.app_token, current.app_token),
      warning_grams: body.warning_grams ?? current.warning_grams,
      critical_grams: body.critical_grams ?? current.critical_grams,
      cooldown_hours: body.cooldown_hours ?? current.cooldown_hours,
    };
    if (next.critical_grams > next.warning_grams) {
      throw badRequest(
        "critical_grams must not be above warning_grams",
        {
          location: "body",
          fields: { critical_grams: [`Must be at most warning_grams (${next.warning_grams})`] },
        },
        "validation_failed",
      );
    }
    return { pushover: next };
  });
  return { success: true, ...pushoverView(saved.pushover) };
}

/** Sends a test message now (enabled or not): 400 without a user key or app token, 502 when Pushover refuses. */
export async function sendPushoverTest(ctx: ActorContext, level: (typeof testLevels)[number]) {
  const { pushover } = await getSettings();
  if (!(pushover.user_key || config().PUSHOVER_USER_KEY)) {
    throw badRequest("Pushover user key is not configured", undefined, "pushover_not_configured");
  }
  const credentials = pushoverCredentials(pushover);
  if (!credentials) throw badRequest("Pushover app token is not configured", undefined, "pushover_not_configured");
  const result = await sendPushover(credentials, {
    title: `PreRoll Tracker test (${level})`,
    message: `This is a ${level} test notification from PreRoll Tracker, sent by ${ctx.actor}.`,
    priority: level === "critical" ? 1 : level === "warning" ? 0 : -1,
    timestamp: Date.now() / 1000,
  });
  if (!result.ok) {
    throw new ApiError(
      502,
      "pushover_failed",
      `Pushover did not accept the test message: ${result.error}`,
      { status: result.status },
      { success: false },
    );
  }
  return { success: true, message: `Test notification sent (${level})`, request: result.request };
}
