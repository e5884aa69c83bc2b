"use client";

import { MIN_PASSWORD_LENGTH } from "@/lib/auth/rules";

export { MIN_PASSWORD_LENGTH };

/** The auth and admin forms use the one labelled input of components/ui. */
export { Field as TextField } from "@/components/ui/field";

/** Client-side checks for a new password + its confirmation; the server checks again. */
export function passwordErrors(password: string, confirm: string): { password?: string; confirm?: string } {
  const errors: { password?: string; confirm?: string } = {};
  if (password.length < MIN_PASSWORD_LENGTH) errors.password = `Passwords need at least ${MIN_PASSWORD_LENGTH} characters`;
  if (confirm !== password) errors.confirm = "Passwords do not match";
  return errors;
}
