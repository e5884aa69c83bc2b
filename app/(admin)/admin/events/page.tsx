import { EventSystemAdmin } from "@/components/admin/events/event-system-admin";

export const metadata = { title: "Event system — PreRoll Tracker" };

export default function AdminEventsPage() {
  return <EventSystemAdmin />;
}
