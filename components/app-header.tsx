"use client";

import { signOut } from "next-auth/react";

export function AppHeader({ username, role }: { username: string; role: string }) {
  return (
    <header className="flex items-center justify-between border-b border-neutral-800 bg-neutral-900 px-4 py-3">
      <h1 className="text-xl font-bold text-green-400">Pre-Roll Tracker</h1>
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
