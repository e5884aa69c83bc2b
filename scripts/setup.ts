/**
 * `npm run setup`: interactive first-admin setup (or password reset for an existing admin) —
 * the replacement for the legacy setup_password_standalone.py. Migrates first, so it works on a
 * fresh machine before `npm start`. Leave the password empty to generate one (shown once).
 */
import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { systemContext } from "@/lib/context";
import { db } from "@/lib/db/client";
import { mutate } from "@/lib/db/mutate";
import { generatePassword, hashPassword, MIN_PASSWORD_LENGTH } from "@/lib/auth/passwords";
import { migrate } from "./migrate.mjs";

let muted = false;
const output = new Writable({
  write(chunk, _enc, done) {
    if (!muted) process.stdout.write(chunk);
    done();
  },
});
const rl = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
// Lines are read through one iterator so answers piped in ahead of their questions are kept.
const lines = rl[Symbol.asyncIterator]();

async function ask(question: string, { secret = false } = {}): Promise<string> {
  process.stdout.write(question);
  muted = secret;
  const next = await lines.next();
  if (next.done) throw new Error("input ended before all questions were answered");
  const answer = String(next.value);
  muted = false;
  if (secret) process.stdout.write("\n");
  return answer.trim();
}

async function main() {
  await migrate({ log: (line: string) => console.log(`migrate: ${line}`) });
  const username = (await ask("Admin username [admin]: ")) || "admin";
  let password = await ask(`Password (min ${MIN_PASSWORD_LENGTH} characters; empty = generate): `, { secret: true });
  let generated = false;
  if (!password) {
    password = generatePassword();
    generated = true;
  } else {
    if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
    if ((await ask("Repeat password: ", { secret: true })) !== password) throw new Error("Passwords do not match");
  }
  const hash = await hashPassword(password);
  const existing = await db.user.findUnique({ where: { username } });
  if (existing) {
    const confirm = await ask(`User ${username} exists. Reset their password and make them an active admin? [y/N] `);
    if (!/^y(es)?$/i.test(confirm)) return console.log("Nothing changed.");
  }
  await mutate(systemContext("setup", "cli"), async (m) => {
    const user = existing
      ? await m.tx.user.update({
          where: { id: existing.id },
          data: { password_hash: hash, role: "admin", active: true, session_version: { increment: 1 } },
        })
      : await m.tx.user.create({ data: { username, password_hash: hash, role: "admin" } });
    await m.audit({
      entity: "user",
      entityId: user.id,
      label: username,
      before: existing,
      after: { role: "admin", active: true, password: "(set by setup)" },
    });
    if (existing) await m.emit("user.password_reset", { user_id: user.id, username, via: "setup" });
    else await m.emit("user.created", { user_id: user.id, username, role: "admin" });
  });
  console.log(existing ? `Password reset for ${username}.` : `Admin ${username} created.`);
  if (generated) console.log(`Generated password (shown once): ${password}`);
}

main()
  .catch((err: unknown) => {
    console.error(`setup failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    rl.close();
    await db.$disconnect();
  });
