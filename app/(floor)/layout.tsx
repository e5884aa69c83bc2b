import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/app-header";

/** Signed-in area: no session → /login. */
export default async function FloorLayout({ children }: { children: React.ReactNode }) {
  const user = await currentUser();
  if (!user) redirect("/login");
  return (
    <Providers>
      <AppHeader username={user.username} role={user.role} />
      <main className="mx-auto max-w-7xl p-4">{children}</main>
    </Providers>
  );
}
