import { preload } from "react-dom";
import { StageBoard } from "@/components/board/stage-board";
import "@/components/layout/floor-shell-chunks";

export const metadata = { title: "Production — PreRoll Tracker" };

export default function DashboardPage() {
  // The HTML carries no batch data (SPEC §8: a floor page is a shell); the browser starts fetching
  // the board's data while the JavaScript downloads, and useActiveBatches() picks it up.
  preload("/api/data", { as: "fetch", crossOrigin: "anonymous" });
  return <StageBoard />;
}
