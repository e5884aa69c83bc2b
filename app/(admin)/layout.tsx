import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/layout/app-header";
import { AdminNav } from "@/components/admin/admin-nav";

/** Admin area: no session → /login; signed in without the admin role → the board. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (user.role !== "admin") redirect("/");
  return (
    <Providers user={{ id: user.id, username: user.username, role: user.role }}>
      <AppHeader />
      <main className="mx-auto max-w-7xl p-4">
        <AdminNav />
        {children}
      </main>
    </Providers>
  );
}
