import { FinishedGoodsPage } from "@/components/finished-goods/finished-goods-page";

export const metadata = { title: "Finished goods — PreRoll Tracker" };

export default function Page() {
  return <FinishedGoodsPage />;
}
