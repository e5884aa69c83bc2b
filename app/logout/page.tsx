import { LogoutScreen } from "@/components/auth/logout-screen";

export const metadata = { title: "Signing out — PreRoll Tracker" };

/** `/logout` is a real path (the old system had one): it signs out and lands on /login. */
export default function LogoutPage() {
  return <LogoutScreen />;
}
