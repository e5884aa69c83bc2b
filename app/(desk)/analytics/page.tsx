import { AnalyticsPage } from "@/components/analytics/analytics-page";

export const metadata = { title: "Analytics — PreRoll Tracker" };

export default function Page() {
  return <AnalyticsPage />;
}
