import { BatchFloorPage } from "@/components/batch/batch-floor-page";

export const metadata = { title: "Batch — PreRoll Tracker" };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <BatchFloorPage id={id} />;
}
