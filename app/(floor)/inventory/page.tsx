import { PapersPage } from "@/components/inventory/papers-page";
import "@/components/layout/floor-shell-chunks";

export const metadata = { title: "Papers and cones — PreRoll Tracker" };

export default function InventoryPage() {
  return <PapersPage />;
}
