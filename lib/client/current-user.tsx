"use client";

import { createContext, useContext } from "react";
import { hasRole, type Role } from "@/lib/auth/roles";

/**
 * The signed-in user, handed down by the server layout (which already checked the session
 * against the database): no next-auth client and no `/api/auth/session` request on every page.
 */
export interface CurrentUser {
  id: string;
  username: string;
  role: Role;
}

const CurrentUserContext = createContext<CurrentUser | null>(null);

export function CurrentUserProvider({ user, children }: { user: CurrentUser; children: React.ReactNode }) {
  return <CurrentUserContext.Provider value={user}>{children}</CurrentUserContext.Provider>;
}

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser outside CurrentUserProvider");
  return user;
}

/** Whether the user may do what needs `role` (the server checks again). */
export function useCan(role: Role): boolean {
  return hasRole(useCurrentUser().role, role);
}
