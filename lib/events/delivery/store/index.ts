import { databaseUrl, isPostgresUrl } from "@/lib/db/client";
import type { DeliveryStore } from "@/lib/events/delivery/store/types";
import { sqliteDeliveryStore } from "@/lib/events/delivery/store/sqlite";
import { postgresDeliveryStore } from "@/lib/events/delivery/store/postgres";

/** The delivery store for the configured database (DATABASE_URL, decided as lib/db/client.ts does). */
export function deliveryStore(): DeliveryStore {
  return isPostgresUrl(databaseUrl()) ? postgresDeliveryStore : sqliteDeliveryStore;
}
