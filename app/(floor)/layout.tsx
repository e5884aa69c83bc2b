import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { authOptions } from "@/lib/auth/next-auth";
import { Providers } from "@/components/providers";
import { AppHeader } from "@/components/app-header";

/** Signed-in area: no session → /login. */
export default async function FloorLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session?.user) redirect("/login");
  const user = session.user as { name?: string | null; role?: string };
  return (
    <Providers>
      <AppHeader username={user.name ?? ""} role={user.role ?? "viewer"} />
      <main className="mx-auto max-w-7xl p-4">{children}</main>
    </Providers>
  );
}
