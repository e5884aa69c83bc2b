"use client";

import { useEffect } from "react";
import { toast } from "sonner";
import { registerServiceWorker } from "@/lib/client/pwa/register-service-worker";

/**
 * Registers the service worker after the page is loaded and, when a new version is waiting,
 * offers `Reload` (a silent switch under an open page could mix old and new code mid-count).
 */
export function UpdatePrompt() {
  useEffect(() => {
    let stop = () => undefined as void;
    const start = () => {
      stop = registerServiceWorker((activate) => {
        toast("New version available", {
          id: "app-update",
          description: "Reload to use it. Nothing you entered is lost.",
          duration: Infinity,
          action: { label: "Reload", onClick: activate },
        });
      });
    };
    if (document.readyState === "complete") start();
    else window.addEventListener("load", start, { once: true });
    return () => {
      window.removeEventListener("load", start);
      stop();
    };
  }, []);
  return null;
}
