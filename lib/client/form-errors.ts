import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiRequestError } from "@/lib/client/api";

/**
 * A 400's `details.fields` messages by form field: `names` maps each form field to the request
 * field the server reports it under. Fields without a message are left out.
 */
export function serverFieldMessages<K extends string>(error: unknown, names: Record<K, string>): Partial<Record<K, string>> {
  const fields = error instanceof ApiRequestError ? error.fields : {};
  const out: Partial<Record<K, string>> = {};
  for (const [formField, requestField] of Object.entries(names) as [K, string][]) {
    const messages = Object.hasOwn(fields, requestField) ? fields[requestField] : undefined;
    if (messages?.length) out[formField] = messages.join(" ");
  }
  return out;
}

/**
 * Puts a 400's `details.fields` messages under the matching react-hook-form fields; returns
 * whether any landed (if none did, the caller shows the `error` message in a toast instead).
 */
export function applyServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  names: readonly Path<T>[],
): boolean {
  const messages = serverFieldMessages(error, Object.fromEntries(names.map((n) => [n, n])) as unknown as Record<Path<T>, string>);
  for (const [name, message] of Object.entries(messages) as [Path<T>, string][]) setError(name, { type: "server", message });
  return Object.keys(messages).length > 0;
}
