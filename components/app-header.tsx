"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

const links = [
  { href: "/", label: "Board", admin: false },
  { href: "/account", label: "My account", admin: false },
  { href: "/admin/users", label: "Admin", admin: true },
];

export function AppHeader({ username, role }: { username: string; role: string }) {
  const pathname = usePathname();
  return (
    <header className="flex flex-wrap items-center justify-between gap-3 border-b border-neutral-800 bg-neutral-900 px-4 py-3">
      <div className="flex flex-wrap items-center gap-4">
        <h1 className="text-xl font-bold text-green-400">Pre-Roll Tracker</h1>
        <nav aria-label="Main" className="flex gap-1">
          {links
            .filter((l) => !l.admin || role === "admin")
            .map((l) => {
              const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href.replace(/\/users$/, ""));
              return (
                <Link
                  key={l.href}
                  href={l.href}
                  aria-current={active ? "page" : undefined}
                  className={`flex min-h-11 items-center rounded-lg px-3 ${active ? "bg-neutral-800 text-green-400" : "hover:bg-neutral-800"}`}
                >
                  {l.label}
                </Link>
              );
            })}
        </nav>
      </div>
      <div className="flex items-center gap-3 text-sm">
        <span data-testid="current-user">
          {username} <span className="text-neutral-400">({role})</span>
        </span>
        <button
          type="button"
          onClick={() => signOut({ callbackUrl: "/login" })}
          className="min-h-11 rounded-lg bg-neutral-800 px-4 py-2 hover:bg-neutral-700"
        >
          Log out
        </button>
      </div>
    </header>
  );
}
