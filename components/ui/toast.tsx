"use client";

import { useEffect, useState, type ComponentProps } from "react";

/**
 * Toasts (sonner) loaded on first use: most page loads show none, and the library is ~10 KB of the
 * floor pages' JavaScript budget (UI-GUIDE §5). `toast` has sonner's call shape; `<Toaster />`
 * renders nothing until the first toast asks for it, then sonner's Toaster — and the toast is
 * shown only once that Toaster is mounted (sonner drops toasts made before it listens).
 */

type Sonner = typeof import("sonner");
type ToastOptions = Parameters<Sonner["toast"]>[1];
type Message = Parameters<Sonner["toast"]>[0];
type Kind = "success" | "error" | "info" | "warning";

let sonner: Promise<Sonner> | null = null;
let mounted: Promise<void> | null = null;
let markMounted: () => void = () => undefined;
const wanted = new Set<(module: Sonner) => void>();

function ready(): Promise<Sonner> {
  if (!sonner) {
    mounted = new Promise((resolve) => {
      markMounted = resolve;
    });
    sonner = import("sonner").then((module) => {
      for (const show of wanted) show(module);
      return module;
    });
  }
  return Promise.all([sonner, mounted]).then(([module]) => module);
}

function show(kind: Kind | null, message: Message, options?: ToastOptions): void {
  void ready().then(({ toast: t }) => (kind ? t[kind](message, options) : t(message, options)));
}

export const toast = Object.assign((message: Message, options?: ToastOptions) => show(null, message, options), {
  success: (message: Message, options?: ToastOptions) => show("success", message, options),
  error: (message: Message, options?: ToastOptions) => show("error", message, options),
  info: (message: Message, options?: ToastOptions) => show("info", message, options),
  warning: (message: Message, options?: ToastOptions) => show("warning", message, options),
});

type ToasterProps = ComponentProps<Sonner["Toaster"]>;

/** Mount once per page tree; it loads sonner when the first toast is made. */
export function Toaster(props: ToasterProps) {
  const [module, setModule] = useState<Sonner | null>(null);
  useEffect(() => {
    const take = (m: Sonner) => setModule(() => m);
    wanted.add(take);
    if (sonner) void sonner.then(take);
    return () => {
      wanted.delete(take);
    };
  }, []);
  useEffect(() => {
    if (module) markMounted();
  }, [module]);
  if (!module) return null;
  const SonnerToaster = module.Toaster;
  return <SonnerToaster {...props} />;
}
