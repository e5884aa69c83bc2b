"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";

async function copyText(text: string): Promise<boolean> {
  try {
    // The Clipboard API exists only in secure contexts (https, localhost), not on a LAN http address.
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy path
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

/**
 * A secret the server shows exactly once (recovery key, API key): large, selectable, with a Copy
 * button and a warning. Takes focus when it appears so keyboard and screen-reader users land on it.
 */
export function OneTimeSecret({
  title,
  secret,
  testId = "one-time-secret",
  children,
  onDismiss,
}: {
  title: string;
  secret: string;
  testId?: string;
  /** Extra guidance under the warning (where to store it). */
  children?: ReactNode;
  onDismiss?: () => void;
}) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);

  return (
    <section
      ref={box}
      tabIndex={-1}
      aria-label={title}
      className="space-y-3 rounded-xl border-2 border-amber-500 bg-amber-950/40 p-4 outline-none focus-visible:ring-2 focus-visible:ring-amber-400"
    >
      <h2 className="text-lg font-bold text-amber-300">{title}</h2>
      <div className="flex flex-wrap items-center gap-3">
        <code
          data-testid={testId}
          className="select-all break-all rounded-lg bg-neutral-950 px-3 py-2 font-mono text-xl font-semibold tracking-wide text-green-300 sm:text-2xl"
        >
          {secret}
        </code>
        <button
          type="button"
          onClick={async () => setCopy((await copyText(secret)) ? "copied" : "failed")}
          className="min-h-11 rounded-lg bg-green-700 px-4 font-semibold hover:bg-green-800"
        >
          {copy === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p aria-live="polite" className="min-h-5 text-sm text-neutral-300">
        {copy === "copied" && "Copied to the clipboard."}
        {copy === "failed" && "Could not copy automatically: select the text above and copy it by hand."}
      </p>
      <p className="font-semibold text-amber-200">Write it down or store it somewhere safe now. It will not be shown again.</p>
      {children}
      {onDismiss && (
        <button type="button" onClick={onDismiss} className="min-h-11 rounded-lg bg-neutral-800 px-4 hover:bg-neutral-700">
          I have stored it — hide
        </button>
      )}
    </section>
  );
}
