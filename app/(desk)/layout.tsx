import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/layout/app-header";

/**
 * Desk pages (managers at a desktop browser, UI-GUIDE §1): signed in, any role can read; each page
 * hides what its role may not change, and the server enforces every rule. Wider than the floor.
 */
export default async function DeskLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <Providers user={{ id: user.id, username: user.username, role: user.role }}>
      <AppHeader />
      <main className="mx-auto max-w-7xl p-4">{children}</main>
    </Providers>
  );
}
