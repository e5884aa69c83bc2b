import { StageBoard } from "@/components/board/stage-board";

export const metadata = { title: "Production — PreRoll Tracker" };

export default function DashboardPage() {
  return <StageBoard />;
}
