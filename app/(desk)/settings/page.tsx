import Link from "next/link";
import { currentUser } from "@/lib/auth/current-user";
import { SettingsPage } from "@/components/settings/settings-page";

export const metadata = { title: "Settings — PreRoll Tracker" };

/** Admins only (the server refuses other roles' writes too); others get a plain explanation. */
export default async function SettingsRoute() {
  const user = await currentUser();
  if (user?.role !== "admin") {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Settings</h1>
        <p role="alert" className="rounded-2xl border border-orange-700 bg-orange-950 p-4 text-orange-100">
          Settings are for admins only. Ask an admin to change a setting; you can read what changed in the{" "}
          <Link href="/audit?entity=setting" className="font-semibold underline">
            audit trail
          </Link>
          .
        </p>
      </div>
    );
  }
  return <SettingsPage />;
}
