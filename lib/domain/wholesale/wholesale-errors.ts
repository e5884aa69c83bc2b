import { ApiError } from "@/lib/http/errors";

/**
 * Wholesale answers its failures `{success:false, error}` (the contract's 404 shape; the other
 * errors follow it so the page can read every one the same way). Domain code shared with finished
 * goods throws plain ApiErrors; `wholesaleErrors` adds `success:false` to whatever it throws.
 */
export function wholesaleError(status: number, code: string, message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError(status, code, message, details, { success: false });
}

export async function wholesaleErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError && err.extra?.success !== false) {
      throw new ApiError(err.status, err.code, err.message, err.details, { success: false, ...(err.extra ?? {}) }, err.headers);
    }
    throw err;
  }
}
