import type { DeliveryStore } from "@/lib/events/delivery/store/types";
import { claimDue } from "@/lib/events/delivery/store/sqlite/claim-due";
import { loadClaims } from "@/lib/events/delivery/store/sqlite/load-claims";
import { recordAttempts } from "@/lib/events/delivery/store/sqlite/record-attempts";
import { recordAndClaim } from "@/lib/events/delivery/store/sqlite/record-and-claim";
import { releaseClaims } from "@/lib/events/delivery/store/sqlite/release-claims";
import { renewLeases } from "@/lib/events/delivery/store/sqlite/renew-leases";
import { relayPage } from "@/lib/events/delivery/store/sqlite/relay-page";

/**
 * The delivery store on SQLite: plain prepared statements on its own better-sqlite3 connection
 * (connection.ts says why), one file per step.
 */
export const sqliteDeliveryStore: DeliveryStore = {
  claimDue,
  loadClaims,
  recordAttempts,
  recordAndClaim,
  releaseClaims,
  renewLeases,
  relayPage,
};
