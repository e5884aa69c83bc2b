import { EditBatchPage } from "@/components/batch-desk/edit-batch-page";

export const metadata = { title: "Edit batch — PreRoll Tracker" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EditBatchPage id={id} />;
}
