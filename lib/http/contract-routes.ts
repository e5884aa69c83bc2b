import type { AuthRule } from "@/lib/http/route";

/**
 * The routes of ../shared/API-CONTRACT.md (PreRollTracker 2.0.0's HTTP surface that ApexAPI and the
 * floor depend on), listed once: "METHOD path" → the contract's auth column. `{name}` is a path
 * parameter. These routes are built with `route({ contract: true, … })`, which ignores unknown
 * fields and query parameters as the old server did; routes we added parse strictly.
 * tests/integration/contract-tolerance.test.ts fails when a route's flag and this list disagree,
 * and tests/integration/role-matrix.test.ts checks each route's auth against it.
 */
export const CONTRACT_ROUTES = {
  // Batches
  "GET /api/data": "key|session",
  "GET /api/archive": "key|session",
  "GET /api/batches/last-updated": "key|session",
  "GET /api/batch/{id}/rate-history": "key|session",
  "POST /api/batch/{id}/counts": "key|session",
  "POST /api/update-progress/{id}": "key|session",
  "POST /api/batch/{id}/plan": "key|session",
  "POST /api/batch/{id}/centrifuge": "session",
  "GET /api/strain/{strain}/rate-projection": "key|session",
  "POST /api/archive/{id}": "key|session",
  "POST /api/public/archive/{id}": "key|session",
  "GET /api/allocation-preview": "session",
  "POST /api/reorder": "key|session",
  "POST /api/weight-check/{id}": "session",
  "GET /api/weight-analytics/{id}": "session",
  // Papers / cones inventory
  "GET /api/inventory": "key|session",
  "POST /api/inventory/update": "key|session",
  "POST /api/inventory/settings": "key|session",
  "POST /api/dismiss-inventory-alert/{size}": "session",
  "POST /api/dismiss-inventory-alerts": "session",
  // Finished goods
  "GET /api/finished-goods": "key|session",
  "POST /api/finished-goods": "key|session",
  "GET /api/finished-goods/{metrc}": "key|session",
  "PUT /api/finished-goods/{metrc}": "key|session",
  "DELETE /api/finished-goods/{metrc}": "key|session",
  "POST /api/finished-goods/{metrc}/deduct": "key|session",
  "POST /api/finished-goods/{metrc}/add": "key|session",
  "POST /api/finished-goods/{metrc}/physical-override": "key|session",
  "GET /api/finished-goods/summary": "key|session",
  "GET /api/finished-goods/history": "key|session",
  "GET /api/finished-goods/calculator": "key|session",
  "GET /api/finished-goods/last-updated": "key|session",
  "POST /api/finished-goods/{metrc}/order": "key|session",
  "POST /api/finished-goods/{metrc}/set-ordered": "key|session",
  "POST /api/finished-goods/{metrc}/set-packed": "key|session",
  "POST /api/finished-goods/{metrc}/sync": "key|session",
  "POST /api/finished-goods/{metrc}/complete-order": "key|session",
  "POST /api/finished-goods/{metrc}/pack": "key|session",
  "POST /api/finished-goods/{metrc}/set-skus": "key|session",
  "POST /api/finished-goods/{metrc}/apex-auto": "key|session",
  "POST /api/finished-goods/{metrc}/apex-units": "key|session",
  "POST /api/finished-goods/{metrc}/apex-settings": "key|session",
  "GET /api/finished-goods/{metrc}/apex-calculate": "key|session",
  "POST /api/finished-goods/{metrc}/apex-decrement": "key|session",
  "GET /api/finished-goods/{metrc}/custom-skus": "key|session",
  "POST /api/finished-goods/{metrc}/custom-skus": "key|session",
  "PUT /api/finished-goods/{metrc}/custom-skus": "key|session",
  "DELETE /api/finished-goods/{metrc}/custom-skus/{sku_key}": "key|session",
  "GET /api/finished-goods/{metrc}/history": "key|session",
  // Wholesale
  "GET /api/wholesale/inventory": "session",
  "POST /api/wholesale/hold": "session",
  "DELETE /api/wholesale/hold/{hold_id}": "session",
  "GET /api/wholesale/holds": "session",
  "GET /api/wholesale/last-updated": "session",
  // Centrifuge
  "POST /api/centrifuge/calculate": "key|session",
  "POST /api/centrifuge/compare": "key|session",
  "GET /api/centrifuge/curve-data": "key|session",
  "GET /api/centrifuge/settings-guide": "key|session",
  "POST /api/centrifuge/impulse-calculate": "key|session",
  "POST /api/centrifuge/target-match": "key|session",
  "POST /api/centrifuge/batch-comparison": "key|session",
  "GET /api/centrifuge/impulse-zones": "key|session",
  "GET /api/centrifuge/trends/{strain}": "key|session",
  "GET /api/centrifuge-trends/{strain}": "key|session",
  "GET /api/centrifuge-recommendations-unified/{strain}": "key|session",
  "GET /api/centrifuge-history/{strain}": "key|session",
  // Sales-driven recommendations and snapshots
  "POST /api/recommendations/upload": "session",
  "GET /api/recommendations": "session",
  "GET /api/snapshots/history": "session",
  "GET /api/snapshots/{timestamp}": "session",
  "POST /api/snapshots/compare-detailed": "session",
  "POST /api/snapshots/insights": "session",
  "POST /api/snapshots/export-csv": "session",
  // Misc
  "GET /api/version": "public",
  "GET /api/backup-status": "key|session",
  "GET /api/settings": "key|session",
  "GET /api/api-key": "session",
  "POST /api/api-key/regenerate": "session",
  "GET /api/overview": "key|session",
  "GET /api/audit": "key|session",
  "GET /api/production-history": "key|session",
  "GET /api/apex-sync-status": "key|session",
  "POST /api/apex-sync-trigger": "key|session",
  "GET /api/pushover/settings": "session",
  "PUT /api/pushover/settings": "session",
  "POST /api/pushover/test": "session",
  "POST /api/pushover/check-alerts": "session",
} as const satisfies Record<string, AuthRule>;

export type ContractRoute = keyof typeof CONTRACT_ROUTES;

/** "POST /api/batch/{id}/counts" and "POST /api/batch/[id]/counts" → "POST /api/batch/{}/counts". */
export function contractKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{[^}]*\}|\[[^\]]*\]/g, "{}").replace(/\/$/, "")}`;
}

const BY_KEY = new Map<string, AuthRule>(
  Object.entries(CONTRACT_ROUTES).map(([k, auth]) => [contractKey(k.split(" ")[0], k.split(" ")[1]), auth]),
);

/** The contract's auth rule for a method + path (app dir `[x]` or contract `{x}` params), or undefined. */
export function contractAuth(method: string, path: string): AuthRule | undefined {
  return BY_KEY.get(contractKey(method, path));
}
