import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/layout/app-header";

/** Signed-in area: no session → /login. */
export default async function FloorLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <Providers user={{ id: user.id, username: user.username, role: user.role }}>
      <AppHeader />
      <main className="mx-auto max-w-7xl p-3 sm:p-4">{children}</main>
    </Providers>
  );
}
