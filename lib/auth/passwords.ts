import bcrypt from "bcryptjs";
import { randomBytes, randomInt } from "node:crypto";
import { config } from "@/lib/config/env";

export { MIN_PASSWORD_LENGTH, RECOVERY_KEY_PATTERN } from "@/lib/auth/rules";

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, config().BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** 16+ characters, URL-safe: what the legacy setup script generated for a first admin. */
export function generatePassword(): string {
  return randomBytes(15).toString("base64url"); // 20 characters
}

const RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read aloud from paper

/** `HARVEST-XXXX-XXXX-XXXX`, upper-case letters and digits. */
export function generateRecoveryKey(): string {
  const group = () => Array.from({ length: 4 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
  return `HARVEST-${group()}-${group()}-${group()}`;
}

export function normalizeRecoveryKey(input: string): string {
  return input.trim().toUpperCase();
}
