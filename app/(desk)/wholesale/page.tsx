import { WholesalePage } from "@/components/wholesale/wholesale-page";

export const metadata = { title: "Wholesale — PreRoll Tracker" };

export default function Page() {
  return <WholesalePage />;
}
