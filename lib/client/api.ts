/** Browser-side fetch helpers: JSON in and out, errors as ApiRequestError with the server's message. */

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    /** Per-field messages of a 400 (`details.fields`), to show under each input. */
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

export async function apiFetch<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, headers, ...rest } = init;
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      credentials: "same-origin",
      headers: { ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    // The browser's own words ("Failed to fetch") tell an operator nothing.
    throw new ApiRequestError(0, "network", "No connection to the server, and nothing saved on this tablet for this yet");
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; code?: string; details?: { fields?: Record<string, string[]> } };
    throw new ApiRequestError(res.status, body.code, body.error ?? `Request failed (${res.status})`, body.details?.fields);
  }
  return (await res.json()) as T;
}

/** A mutation with an Idempotency-Key, so a retried tap never applies twice. */
export function apiMutate<T>(path: string, json: unknown, method = "POST"): Promise<T> {
  return apiFetch<T>(path, { method, json, headers: { "idempotency-key": crypto.randomUUID() } });
}
