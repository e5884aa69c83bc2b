"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { toast } from "@/components/ui/toast";
import { registerServiceWorker, rememberFloorPage } from "@/lib/client/pwa/register-service-worker";

/**
 * The page's side of the service worker: registers it after the page is loaded; when a new
 * version is waiting, offers `Reload` (a silent switch under an open page could mix old and new
 * code mid-count); and has each floor page shown kept for offline reloads.
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

  // A page the worker loaded itself is cached already; any other one (a client-side navigation,
  // or the first visit, before the worker existed) is fetched into the cache by the worker.
  const pathname = usePathname();
  const loadedByWorker = useRef(typeof navigator !== "undefined" && "serviceWorker" in navigator && !!navigator.serviceWorker.controller);
  useEffect(() => {
    if (loadedByWorker.current) {
      loadedByWorker.current = false;
      return;
    }
    rememberFloorPage(window.location.href);
  }, [pathname]);
  return null;
}
