import { route } from "@/lib/http/route";
import { eventSystemStatus } from "@/lib/events/delivery/status";
import { eventSystemStatusResponseSchema } from "@/lib/events/admin-response";

/** Worker heartbeat age, relay lag (events, seconds), deliveries per minute, failures per hour. */
export const GET = route({ response: eventSystemStatusResponseSchema, auth: "session", role: "admin" }, async () => eventSystemStatus());
