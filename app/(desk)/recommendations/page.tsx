import { RecommendationsPage } from "@/components/recommendations/recommendations-page";

export const metadata = { title: "Sales recommendations — PreRoll Tracker" };

export default function Page() {
  return <RecommendationsPage />;
}
