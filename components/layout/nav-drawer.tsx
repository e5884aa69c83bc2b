"use client";

import { Dialog } from "@/components/ui/dialog";

/** The narrow-screen menu: the header's links in a drawer from the left (a real dialog). */
export function NavDrawer({
  open,
  onOpenChange,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: React.ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Menu" description="Pages of PreRoll Tracker" descriptionHidden placement="left">
      <nav aria-label="Main">{children}</nav>
    </Dialog>
  );
}
