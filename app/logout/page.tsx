import { LogoutScreen } from "@/components/auth/logout-screen";
import { currentUser } from "@/lib/auth/current-user";

export const metadata = { title: "Signing out — PreRoll Tracker" };

/** `/logout` is a real path (the old system had one): it signs out and lands on /login. */
export default async function LogoutPage() {
  const user = await currentUser();
  return <LogoutScreen userId={user?.id ?? null} />;
}
