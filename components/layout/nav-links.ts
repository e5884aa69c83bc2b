import {
  Archive,
  BookOpen,
  Boxes,
  ChartColumn,
  Gauge,
  Handshake,
  Network,
  LayoutGrid,
  Package,
  ScrollText,
  Settings,
  Shield,
  Store,
  UserRound,
  type LucideIcon,
} from "lucide-react";
import type { Role } from "@/lib/auth/roles";

export type NavLink = {
  href: string;
  label: string;
  /** Lowest role that sees the link (the server enforces the page's rules). */
  role: Role;
  icon: LucideIcon;
  /** Floor pages are prefetched; the rest are not (their code stays off floor tablets until used). */
  floor: boolean;
  /** Shown in the header row on wide screens; the others sit under "More" (all are in the drawer). */
  primary: boolean;
  match: (path: string) => boolean;
};

/** Every page of the main navigation, in menu order; only pages that exist. */
export const navLinks: NavLink[] = [
  {
    href: "/",
    label: "Board",
    role: "viewer",
    icon: LayoutGrid,
    floor: true,
    primary: true,
    match: (p) => p === "/" || /^\/batches\/(?!new)[^/]+$/.test(p),
  },
  {
    href: "/inventory",
    label: "Papers & cones",
    role: "viewer",
    icon: Package,
    floor: true,
    primary: true,
    match: (p) => p.startsWith("/inventory"),
  },
  // Desk pages
  {
    href: "/finished-goods",
    label: "Finished goods",
    role: "viewer",
    icon: Boxes,
    floor: false,
    primary: true,
    match: (p) => p.startsWith("/finished-goods"),
  },
  {
    href: "/wholesale",
    label: "Wholesale",
    role: "viewer",
    icon: Handshake,
    floor: false,
    primary: true,
    match: (p) => p.startsWith("/wholesale"),
  },
  {
    href: "/analytics",
    label: "Analytics",
    role: "viewer",
    icon: ChartColumn,
    floor: false,
    primary: true,
    match: (p) => p.startsWith("/analytics"),
  },
  {
    href: "/recommendations",
    label: "Sales",
    role: "viewer",
    icon: Store,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/recommendations"),
  },
  {
    href: "/archive",
    label: "Archive",
    role: "viewer",
    icon: Archive,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/archive"),
  },
  {
    href: "/centrifuge",
    label: "Centrifuge",
    role: "viewer",
    icon: Gauge,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/centrifuge"),
  },
  {
    href: "/genealogy",
    label: "Genealogy",
    role: "viewer",
    icon: Network,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/genealogy"),
  },
  {
    href: "/audit",
    label: "Audit",
    role: "viewer",
    icon: ScrollText,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/audit"),
  },
  {
    href: "/api-docs",
    label: "API reference",
    role: "viewer",
    icon: BookOpen,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/api-docs"),
  },
  {
    href: "/settings",
    label: "Settings",
    role: "admin",
    icon: Settings,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/settings"),
  },
  // Account and admin
  {
    href: "/account",
    label: "My account",
    role: "viewer",
    icon: UserRound,
    floor: false,
    primary: false,
    match: (p) => p.startsWith("/account"),
  },
  { href: "/admin/users", label: "Admin", role: "admin", icon: Shield, floor: false, primary: false, match: (p) => p.startsWith("/admin") },
];
