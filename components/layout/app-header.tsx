"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";
import { ChevronDown, LogOut, Menu } from "lucide-react";
import { useCurrentUser } from "@/lib/client/current-user";
import { hasRole } from "@/lib/auth/roles";
import { navLinks, type NavLink } from "@/components/layout/nav-links";
import { ConnectionStatus } from "@/components/layout/connection-status";
import { cx } from "@/components/ui/cx";
import { IconButton } from "@/components/ui/icon-button";

const NavDrawer = dynamic(() => import("@/components/layout/nav-drawer").then((m) => m.NavDrawer), { ssr: false });

function NavItem({ link, active, onNavigate }: { link: NavLink; active: boolean; onNavigate?: () => void }) {
  const Icon = link.icon;
  return (
    <li>
      <Link
        href={link.href}
        prefetch={link.floor ? undefined : false}
        onClick={onNavigate}
        aria-current={active ? "page" : undefined}
        className={cx(
          "flex min-h-12 items-center gap-2 whitespace-nowrap rounded-xl px-3 font-semibold",
          active ? "bg-neutral-800 text-green-300" : "text-neutral-100 hover:bg-neutral-800",
        )}
      >
        <Icon aria-hidden className="size-5" />
        {link.label}
      </Link>
    </li>
  );
}

/** The drawer lists every page; the wide header shows the primary ones and the rest under "More". */
function NavLinks({ onNavigate, vertical }: { onNavigate?: () => void; vertical?: boolean }) {
  const pathname = usePathname();
  const { role } = useCurrentUser();
  const more = useRef<HTMLDetailsElement>(null);
  const visible = navLinks.filter((l) => hasRole(role, l.role));
  if (vertical) {
    return (
      <ul className="flex flex-col gap-1">
        {visible.map((l) => (
          <NavItem key={l.href} link={l} active={l.match(pathname)} onNavigate={onNavigate} />
        ))}
      </ul>
    );
  }
  const rest = visible.filter((l) => !l.primary);
  const restActive = rest.some((l) => l.match(pathname));
  return (
    <ul className="flex gap-1">
      {visible
        .filter((l) => l.primary)
        .map((l) => (
          <NavItem key={l.href} link={l} active={l.match(pathname)} />
        ))}
      {rest.length ? (
        <li className="relative">
          {/* Native disclosure: keyboard-usable and no menu library on floor pages. */}
          <details ref={more} className="group">
            <summary
              className={cx(
                "flex min-h-12 cursor-pointer list-none items-center gap-1 rounded-xl px-3 font-semibold hover:bg-neutral-800",
                restActive ? "text-green-300" : "text-neutral-100",
              )}
            >
              More
              <ChevronDown aria-hidden className="size-4 transition group-open:rotate-180" />
            </summary>
            <ul className="absolute left-0 top-full z-40 mt-1 flex min-w-56 flex-col gap-1 rounded-xl border border-neutral-700 bg-neutral-900 p-2 shadow-xl">
              {rest.map((l) => (
                <NavItem key={l.href} link={l} active={l.match(pathname)} onNavigate={() => more.current?.removeAttribute("open")} />
              ))}
            </ul>
          </details>
        </li>
      ) : null}
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
