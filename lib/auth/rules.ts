/**
 * Credential rules shared by the server's zod schemas and the browser forms (this file imports
 * nothing, so client components can use it without pulling bcrypt in).
 */
export const MIN_PASSWORD_LENGTH = 6;
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,50}$/;
/** `HARVEST-XXXX-XXXX-XXXX`, checked after trim + upper-case. */
export const RECOVERY_KEY_PATTERN = /^HARVEST-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;
