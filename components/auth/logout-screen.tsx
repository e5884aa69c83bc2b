"use client";

import { signOut } from "next-auth/react";
import { useEffect } from "react";

export function LogoutScreen() {
  useEffect(() => {
    void signOut({ callbackUrl: "/login" });
  }, []);
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <h1 role="status" className="text-xl font-semibold">
        Signing out…
      </h1>
    </main>
  );
}
