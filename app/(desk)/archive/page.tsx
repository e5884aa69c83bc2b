import { ArchivePage } from "@/components/batch-desk/archive-page";

export const metadata = { title: "Archive — PreRoll Tracker" };

export default function Page() {
  return <ArchivePage />;
}
