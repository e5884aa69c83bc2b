import { PapersPage } from "@/components/inventory/papers-page";

export const metadata = { title: "Papers and cones — PreRoll Tracker" };

export default function InventoryPage() {
  return <PapersPage />;
}
