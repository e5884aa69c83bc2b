"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/backups", label: "Backups" },
  { href: "/admin/events", label: "Event system" },
  { href: "/account", label: "My account" },
  { href: "/", label: "Board" },
] as const;

/** The admin area's tabs. */
export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Admin" className="mb-6 flex flex-wrap gap-2 border-b border-neutral-800 pb-3">
      {LINKS.map((link) => {
        const current = pathname === link.href;
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={current ? "page" : undefined}
            className={`inline-flex min-h-11 items-center rounded-lg px-4 font-semibold ${
              current ? "bg-green-800 text-white" : "bg-neutral-800 text-neutral-200 hover:bg-neutral-700"
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
