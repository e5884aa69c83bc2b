"use client";

import Link from "next/link";
import { ApiRequestError } from "@/lib/client/api";

/** The message to show for a failed request: the server's `error` text, or a network hint. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) {
    return error.message;
  }
  if (error instanceof TypeError) return "Could not reach the server. Check the connection and try again.";
  return error instanceof Error ? error.message : "Something went wrong";
}

/** A form-level error (role="alert"); a 401 means the session ended, so it offers the login page. */
export function FormError({ error, className = "" }: { error: unknown; className?: string }) {
  if (!error) return null;
  const sessionEnded = error instanceof ApiRequestError && error.status === 401;
  return (
    <p role="alert" className={`text-sm text-red-400 ${className}`}>
      {sessionEnded ? "Your session has ended." : errorMessage(error)}
      {sessionEnded && (
        <>
          {" "}
          <Link href="/login" className="font-semibold text-green-400 underline">
            Log in again
          </Link>
        </>
      )}
    </p>
  );
}
