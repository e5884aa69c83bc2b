import { ApiRequestError } from "@/lib/client/api";

/**
 * File uploads through XMLHttpRequest, because fetch() reports no upload progress: `onProgress`
 * gets 0–1 as the body is sent. Errors are ApiRequestError with the server's message; a 400's
 * `details` (e.g. per-row CSV errors) travels on UploadError.
 */

export class UploadError extends ApiRequestError {
  constructor(
    status: number,
    code: string | undefined,
    message: string,
    readonly details: unknown,
  ) {
    super(status, code, message);
  }
}

export interface UploadOptions {
  /** Multipart field name of each file. */
  field?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export function uploadFiles<T>(path: string, files: readonly File[], options: UploadOptions = {}): Promise<T> {
  const { field = "files[]", onProgress, signal } = options;
  const form = new FormData();
  for (const file of files) form.append(field, file, file.name);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.withCredentials = true;
    xhr.responseType = "text";
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress?.(1);
    xhr.onload = () => {
      let body: { error?: string; code?: string; details?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new UploadError(xhr.status, body.code, body.error ?? `Upload failed (${xhr.status})`, body.details));
    };
    xhr.onerror = () => reject(new UploadError(0, "network", "No connection to the server: nothing was uploaded", undefined));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
