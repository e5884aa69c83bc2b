import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/**
 * Standard Webhooks signing. Secrets are `whsec_` + base64 of 32 random bytes. After a rotation the
 * previous secret keeps signing beside the new one (space-separated `v1,…` signatures) for 24 h,
 * so a receiver can switch secrets without a gap.
 */

export const SECRET_GRACE_MS = 24 * 3_600_000;

export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** `webhook-id`: stable across every retry of one delivery (receivers de-duplicate on it). */
export function webhookId(eventId: number, subscriberId: string): string {
  return `${eventId}_${subscriberId}`;
}

export interface SigningSecrets {
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/** The three Standard Webhooks headers for one request. */
export function signatureHeaders(secrets: SigningSecrets, msgId: string, body: string, now: Date = new Date()): Record<string, string> {
  if (!secrets.secret) throw new Error("Subscriber has no signing secret");
  const signatures = [new Webhook(secrets.secret).sign(msgId, now, body)];
  if (secrets.previous_secret && secrets.previous_secret_expires_at && secrets.previous_secret_expires_at > now) {
    signatures.push(new Webhook(secrets.previous_secret).sign(msgId, now, body));
  }
  return {
    "webhook-id": msgId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
