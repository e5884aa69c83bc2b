import { CentrifugePage } from "@/components/centrifuge/centrifuge-page";

export const metadata = { title: "Centrifuge — PreRoll Tracker" };

export default function Page() {
  return <CentrifugePage />;
}
