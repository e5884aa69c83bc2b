/**
 * First-start bootstrap, run by `npm start` after migrations (idempotent):
 * 1. default settings that are missing;
 * 2. the first admin when there are no users — from ADMIN_USERNAME / ADMIN_PASSWORD, else
 *    "admin" with a generated password printed once;
 * 3. demo data on first run when the database has no batches and nothing was imported from
 *    PreRollTracker (SEED_DEMO=false skips it);
 * 4. the default Pushover notify subscriber (lib/events/subscribers/default-notify.ts), once;
 * 5. the "Inbox import" subscriber while there is no import subscriber (default-import.ts).
 * Prints a JSON line on stdout for scripts/start.mjs: {admin_created, username, password?}.
 */
import { db } from "@/lib/db/client";
import { claimDemoSeed, createDefaultSetting, createFirstAdmin } from "@/lib/domain/users/first-start";
import { systemContext } from "@/lib/context";
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/passwords";
import { defaultSettings } from "@/lib/domain/settings/defaults";
import { seedDemoData } from "@/scripts/seed-demo";
import { ensureDefaultImportSubscriber } from "@/lib/events/subscribers/default-import";
import { ensureDefaultNotifySubscriber } from "@/lib/events/subscribers/default-notify";

async function main() {
  const ctx = systemContext("bootstrap", "cli");
  // Each decision is made inside its transaction (lib/domain/users/first-start.ts): web and
  // worker bootstrapping one database at once do each thing once.
  for (const [key, value] of Object.entries(defaultSettings)) {
    if (!(await db.setting.findUnique({ where: { key }, select: { key: true } }))) await createDefaultSetting(ctx, key, value);
  }

  // The Pushover notifier (stock, testing, backup and delivery alerts): created once, never re-added.
  await ensureDefaultNotifySubscriber(ctx);

  // Files dropped in the inbox (INBOX_DIR) are imported out of the box.
  await ensureDefaultImportSubscriber(ctx);

  let result: { admin_created: boolean; username?: string; password?: string; generated?: boolean; seeded?: boolean } = {
    admin_created: false,
  };
  if ((await db.user.count()) === 0) {
    const username = (process.env.ADMIN_USERNAME || "admin").trim();
    const fromEnv = process.env.ADMIN_PASSWORD || undefined; // empty (as in .env.example) = not set
    if (fromEnv !== undefined && fromEnv.length < MIN_PASSWORD_LENGTH) {
      throw new Error(`ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    const password = fromEnv || generatePassword();
    const hash = await hashPassword(password);
    const created = await createFirstAdmin(ctx, { username, passwordHash: hash });
    if (created) result = { admin_created: true, username, password: fromEnv ? undefined : password, generated: !fromEnv };
  }

  if (process.env.SEED_DEMO !== "false") {
    // Once, on an empty database, never after a switch-over (npm run import-legacy).
    const claimed = await claimDemoSeed(ctx);
    if (claimed) {
      await seedDemoData(ctx);
      result.seeded = true;
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main()
  .then(() => db.$disconnect())
  .catch(async (err: unknown) => {
    console.error(`bootstrap failed: ${err instanceof Error ? err.message : String(err)}`);
    await db.$disconnect();
    process.exit(1);
  });
