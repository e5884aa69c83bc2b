import type { ReactNode } from "react";

/** The centred card the public pages (login, forgot / reset password) sit in. */
export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-md space-y-5 rounded-2xl bg-neutral-900 p-6 shadow-xl sm:p-8">
        <h1 className="text-center text-2xl font-bold text-green-400">{title}</h1>
        {children}
      </div>
    </main>
  );
}
