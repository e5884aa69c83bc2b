import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/app-header";
import { AdminNav } from "@/components/admin/admin-nav";

/** Admin area: no session → /login; signed in without the admin role → the board. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect("/login");
  const user = session.user as { name?: string | null; role?: string };
  if (user.role !== "admin") redirect("/");
  return (
    <Providers>
      <AppHeader username={user.name ?? ""} role={user.role} />
      <main className="mx-auto max-w-7xl p-4">
        <AdminNav />
        {children}
      </main>
    </Providers>
  );
}
