import { db } from "@/lib/db/client";
import { memoByDataVersion } from "@/lib/db/data-version";
import { LEGACY_ADMIN_USERNAME } from "@/lib/domain/legacy-import/import-credentials";

/**
 * After a switch-over the old shared admin password belongs to the user `admin` (the old system
 * had no usernames): the login page says so while that user exists and is active.
 */
export function switchOverUsername(): Promise<string | null> {
  return memoByDataVersion("legacy-import:login-hint", async () => {
    const imported = await db.legacyImportRow.findFirst({
      where: { source_table: "credentials", legacy_key: { startsWith: "admin_password:" } },
      select: { target_id: true },
    });
    if (!imported) return null;
    const user = await db.user.findUnique({ where: { id: imported.target_id }, select: { username: true, active: true } });
    return user?.active && user.username === LEGACY_ADMIN_USERNAME ? user.username : null;
  });
}
