import { route } from "@/lib/http/route";
import { eventSystemStatus } from "@/lib/events/delivery/status";

/** Worker heartbeat age, relay lag (events, seconds), deliveries per minute, failures per hour. */
export const GET = route({ auth: "session", role: "admin" }, async () => eventSystemStatus());
