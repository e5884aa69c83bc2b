import { ApiKeysAdmin } from "@/components/admin/api-keys-admin";

export const metadata = { title: "API keys — PreRoll Tracker" };

export default function AdminApiKeysPage() {
  return <ApiKeysAdmin />;
}
