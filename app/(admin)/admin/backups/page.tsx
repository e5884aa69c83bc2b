import { BackupsAdmin } from "@/components/admin/backups/backups-admin";

export const metadata = { title: "Backups — PreRoll Tracker" };

export default function AdminBackupsPage() {
  return <BackupsAdmin />;
}
