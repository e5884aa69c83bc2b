import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import type { DeliveryStore } from "@/lib/events/delivery/store/types";
import { sqliteDeliveryStore } from "@/lib/events/delivery/store/sqlite";

/** The delivery store for the configured database (DATABASE_URL, decided as lib/db/client.ts does). */
export function deliveryStore(): DeliveryStore {
  if (isPostgresUrl(databaseUrl())) throw new Error("PostgreSQL delivery store not implemented yet (issue [12])");
  return sqliteDeliveryStore;
}
