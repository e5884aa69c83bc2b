"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { LayoutGrid, LogOut, Menu, Package, Shield, UserRound } from "lucide-react";
import { useCurrentUser } from "@/lib/client/current-user";
import { hasRole, type Role } from "@/lib/auth/roles";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { cx } from "@/components/ui/cx";
import { IconButton } from "@/components/ui/icon-button";

const NavDrawer = dynamic(() => import("@/components/layout/nav-drawer").then((m) => m.NavDrawer), { ssr: false });

/** Only pages that exist; desk pages join this list as they are built. */
/** Floor pages are prefetched; the rest are not (their code, e.g. next-auth's client, stays off floor tablets until used). */
const links: { href: string; label: string; role: Role; icon: typeof LayoutGrid; floor: boolean; match: (path: string) => boolean }[] = [
  { href: "/", label: "Board", role: "viewer", icon: LayoutGrid, floor: true, match: (p) => p === "/" || p.startsWith("/batches") },
  { href: "/inventory", label: "Papers & cones", role: "viewer", icon: Package, floor: true, match: (p) => p.startsWith("/inventory") },
  { href: "/account", label: "My account", role: "viewer", icon: UserRound, floor: false, match: (p) => p.startsWith("/account") },
  { href: "/admin/users", label: "Admin", role: "admin", icon: Shield, floor: false, match: (p) => p.startsWith("/admin") },
];

function NavLinks({ onNavigate, vertical }: { onNavigate?: () => void; vertical?: boolean }) {
  const pathname = usePathname();
  const { role } = useCurrentUser();
  return (
    <ul className={cx("flex gap-1", vertical && "flex-col")}>
      {links
        .filter((l) => hasRole(role, l.role))
        .map((l) => {
          const active = l.match(pathname);
          const Icon = l.icon;
          return (
            <li key={l.href}>
              <Link
                href={l.href}
                prefetch={l.floor ? undefined : false}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "flex min-h-12 items-center gap-2 rounded-xl px-3 font-semibold",
                  active ? "bg-neutral-800 text-green-300" : "text-neutral-100 hover:bg-neutral-800",
                )}
              >
                <Icon aria-hidden className="size-5" />
                {l.label}
              </Link>
            </li>
          );
        })}
    </ul>
  );
}

export function AppHeader() {
  const user = useCurrentUser();
  const [drawerOpen, setDrawerOpen] = useState(false);
  return (
    <header className="sticky top-0 z-30 border-b border-neutral-800 bg-neutral-900/95 backdrop-blur">
      <div className="mx-auto flex max-w-7xl items-center gap-3 px-3 py-2">
        {/* Narrow screens: the links move into a drawer, loaded when first opened (not on every floor page). */}
        <IconButton
          label="Open menu"
          icon={Menu}
          className="xl:hidden"
          aria-haspopup="dialog"
          aria-expanded={drawerOpen}
          onClick={() => setDrawerOpen(true)}
        />
        {drawerOpen ? (
          <NavDrawer open={drawerOpen} onOpenChange={setDrawerOpen}>
            <NavLinks vertical onNavigate={() => setDrawerOpen(false)} />
          </NavDrawer>
        ) : null}

        <Link href="/" className="whitespace-nowrap text-xl font-bold text-green-400">
          Pre-Roll Tracker
        </Link>
        <nav aria-label="Main" className="hidden xl:block">
          <NavLinks />
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <ConnectionStatus />
          <span data-testid="current-user" className="hidden text-sm sm:inline">
            {user.username} <span className="text-neutral-300">({user.role})</span>
          </span>
          {/* A plain link: a full navigation, never prefetched (that would load the sign-out code on every floor page). */}
          <a href="/logout" className="flex min-h-12 items-center gap-2 rounded-xl bg-neutral-800 px-3 font-semibold hover:bg-neutral-700">
            <LogOut aria-hidden className="size-5" />
            Log out
          </a>
        </div>
      </div>
    </header>
  );
}
