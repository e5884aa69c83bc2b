import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { ApiRequestError } from "@/lib/client/api";

/**
 * Puts a 400's `details.fields` messages under the matching fields; returns whether any landed
 * (if none did, the caller shows the `error` message in a toast instead).
 */
export function applyServerFieldErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  names: readonly Path<T>[],
): boolean {
  if (!(error instanceof ApiRequestError)) return false;
  let placed = false;
  for (const name of names) {
    const messages = error.fields[name];
    if (messages?.length) {
      setError(name, { type: "server", message: messages.join(" ") });
      placed = true;
    }
  }
  return placed;
}
