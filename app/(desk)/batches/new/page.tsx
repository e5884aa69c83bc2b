import { NewBatchPage } from "@/components/batch-desk/new-batch-page";

export const metadata = { title: "New batch — PreRoll Tracker" };

export default function Page() {
  return <NewBatchPage />;
}
