import { UsersAdmin } from "@/components/admin/users-admin";

export const metadata = { title: "Users — PreRoll Tracker" };

export default function AdminUsersPage() {
  return <UsersAdmin />;
}
