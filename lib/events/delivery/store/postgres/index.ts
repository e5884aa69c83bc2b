import type { DeliveryStore } from "@/lib/events/delivery/store/types";
import { claimDue } from "@/lib/events/delivery/store/postgres/claim-due";
import { loadClaims } from "@/lib/events/delivery/store/postgres/load-claims";
import { recordAttempts } from "@/lib/events/delivery/store/postgres/record-attempts";
import { recordAndClaim } from "@/lib/events/delivery/store/postgres/record-and-claim";
import { releaseClaims } from "@/lib/events/delivery/store/postgres/release-claims";
import { renewLeases } from "@/lib/events/delivery/store/postgres/renew-leases";
import { relayPage } from "@/lib/events/delivery/store/postgres/relay-page";

/**
 * The delivery store on PostgreSQL: plain SQL on its own `pg` pool (connection.ts), one file per
 * step, with the SQLite store's guarantees kept by row locks instead of a single writer.
 */
export const postgresDeliveryStore: DeliveryStore = {
  claimDue,
  loadClaims,
  recordAttempts,
  recordAndClaim,
  releaseClaims,
  renewLeases,
  relayPage,
};
