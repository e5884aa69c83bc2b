import type { Mutation } from "@/lib/db/mutate";
import { API_KEY_PREFIX_LENGTH, apiKeyPrefix, hashApiKey } from "@/lib/auth/api-keys";
import type { LegacySettings } from "@/lib/domain/legacy-import/map-settings";
import type { ImportReport } from "@/lib/domain/legacy-import/report";
import type { ImportSteps } from "@/lib/domain/legacy-import/import-legacy";
import { legacyKeyOf } from "@/lib/domain/legacy-import/legacy-key";

/**
 * The old system's credentials keep working:
 * - its API key (plain text in `settings.api_key`) becomes an API key here, stored hashed like
 *   ours, named "ApexAPI", role operator — ApexAPI keeps its configuration;
 * - its one admin password (bcrypt `ADMIN_PASSWORD_HASH` in the old .env) becomes the password of
 *   the user `admin` (created, or the fresh install's first admin), whose sessions are ended;
 * - its recovery key hash (`settings.recovery_key_hash`) stays valid for `admin`.
 * Secrets are never returned, printed or logged; the report says only what was done.
 */

export const LEGACY_ADMIN_USERNAME = "admin";
const BCRYPT = /^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/;

export async function importCredentials(
  m: Mutation,
  settings: LegacySettings,
  env: { path: string | null; adminPasswordHash: string | null },
  steps: Pick<ImportSteps, "isDone" | "mark" | "count" | "skip">,
): Promise<ImportReport["credentials"]> {
  const out: ImportReport["credentials"] = {
    api_key: "not found in settings",
    admin_password: "not found",
    recovery_key: "not found in settings",
  };
  const c = steps.count("credentials");

  if (settings.apiKey) {
    c.read++;
    const key = legacyKeyOf(settings.apiKey);
    const hash = hashApiKey(settings.apiKey);
    if (steps.isDone("credentials", `api_key:${key}`)) {
      c.already++;
      out.api_key = "imported by an earlier run";
    } else if (settings.apiKey.length < API_KEY_PREFIX_LENGTH) {
      steps.skip({
        table: "credentials",
        id: "api_key",
        reason: "constraint",
        detail: `shorter than ${API_KEY_PREFIX_LENGTH} characters: regenerate it after the switch-over`,
      });
      out.api_key = "skipped (too short)";
    } else if (await m.tx.apiKey.findUnique({ where: { key_hash: hash }, select: { id: true } })) {
      c.kept++;
      out.api_key = "already present";
    } else {
      const row = await m.tx.apiKey.create({
        data: { name: "ApexAPI", role: "operator", prefix: apiKeyPrefix(settings.apiKey), key_hash: hash, created_at: m.now },
      });
      await m.audit({
        entity: "api_key",
        entityId: row.id,
        label: row.name,
        before: null,
        after: { name: row.name, role: row.role, prefix: row.prefix, source: "import" },
      });
      steps.mark("credentials", `api_key:${key}`, row.id);
      c.imported++;
      out.api_key = `kept: ApexAPI authenticates with its existing key (stored hashed here, named "ApexAPI")`;
    }
  }

  const adminHash = env.adminPasswordHash ?? settings.adminPasswordHash;
  let admin = await m.tx.user.findUnique({ where: { username: LEGACY_ADMIN_USERNAME } });
  if (adminHash) {
    c.read++;
    const key = legacyKeyOf(adminHash);
    if (!BCRYPT.test(adminHash)) {
      steps.skip({
        table: "credentials",
        id: "ADMIN_PASSWORD_HASH",
        reason: "constraint",
        detail: `not a bcrypt hash (${env.path ?? "settings"})`,
      });
      out.admin_password = "skipped (not a bcrypt hash)";
    } else if (steps.isDone("credentials", `admin_password:${key}`)) {
      c.already++;
      out.admin_password = "imported by an earlier run";
    } else {
      // bcryptjs verifies $2a$/$2b$; PHP's $2y$ is the same algorithm under another name.
      const hash = adminHash.replace(/^\$2y\$/, "$2b$");
      if (admin) {
        admin = await m.tx.user.update({
          where: { id: admin.id },
          data: { password_hash: hash, role: "admin", active: true, session_version: { increment: 1 } },
        });
      } else {
        admin = await m.tx.user.create({ data: { username: LEGACY_ADMIN_USERNAME, role: "admin", password_hash: hash } });
      }
      await m.audit({
        entity: "user",
        entityId: admin.id,
        label: admin.username,
        before: null,
        after: { password: "set from the legacy ADMIN_PASSWORD_HASH", role: "admin", source: "import" },
      });
      steps.mark("credentials", `admin_password:${key}`, admin.id);
      c.imported++;
      out.admin_password = `kept: log in as "${LEGACY_ADMIN_USERNAME}" with the old admin password`;
    }
  } else {
    out.admin_password = env.path
      ? `not found (${env.path} has no ADMIN_PASSWORD_HASH)`
      : "not found (no .env beside the database; give it with --env)";
  }

  if (settings.recoveryKeyHash) {
    c.read++;
    const key = legacyKeyOf(settings.recoveryKeyHash);
    if (!BCRYPT.test(settings.recoveryKeyHash)) {
      steps.skip({ table: "credentials", id: "recovery_key_hash", reason: "constraint", detail: "not a bcrypt hash" });
      out.recovery_key = "skipped (not a bcrypt hash)";
    } else if (steps.isDone("credentials", `recovery_key:${key}`)) {
      c.already++;
      out.recovery_key = "imported by an earlier run";
    } else if (!admin) {
      steps.skip({
        table: "credentials",
        id: "recovery_key_hash",
        reason: "orphan",
        detail: `no "${LEGACY_ADMIN_USERNAME}" user to attach it to (the admin password hash was not found)`,
      });
      out.recovery_key = "skipped (no admin user)";
    } else {
      const row = await m.tx.recoveryKey.create({ data: { user_id: admin.id, key_hash: settings.recoveryKeyHash, created_at: m.now } });
      await m.audit({
        entity: "user",
        entityId: admin.id,
        label: admin.username,
        before: null,
        after: { recovery_key: "kept from the legacy system", source: "import" },
      });
      steps.mark("credentials", `recovery_key:${key}`, row.id);
      c.imported++;
      out.recovery_key = `kept: the old HARVEST-… recovery key resets the password of "${LEGACY_ADMIN_USERNAME}"`;
    }
  }
  return out;
}
