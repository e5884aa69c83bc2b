import { preload } from "react-dom";
import { BatchFloorPage } from "@/components/batch/batch-floor-page";
import "@/components/layout/floor-shell-chunks";

export const metadata = { title: "Batch — PreRoll Tracker" };

export default async function BatchPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  // A shell without the batch's data (SPEC §8); its request starts while the JavaScript downloads.
  preload(`/api/batches/${encodeURIComponent(id)}`, { as: "fetch", crossOrigin: "anonymous" });
  return <BatchFloorPage id={id} />;
}
