/**
 * Every TanStack Query key of the app, in one place. Keys are arrays whose first element names
 * the resource, so `invalidateQueries({ queryKey: queryKeys.batches.all })` reaches every batch
 * query; the live-update map (lib/client/live/invalidation-map.ts) picks narrower keys.
 */
export const queryKeys = {
  batches: {
    all: ["batches"] as const,
    active: ["batches", "active"] as const,
    detail: (id: string) => ["batches", "detail", id] as const,
    rateHistory: (id: string) => ["batches", "rate-history", id] as const,
    weightAnalytics: (id: string) => ["batches", "weight-analytics", id] as const,
  },
  centrifuge: {
    all: ["centrifuge"] as const,
    recommendations: (strain: string) => ["centrifuge", "recommendations", strain] as const,
    outcomes: (batchId: string) => ["centrifuge", "outcomes", batchId] as const,
  },
  inventory: {
    all: ["inventory"] as const,
    papers: ["inventory", "papers"] as const,
  },
  settings: ["settings"] as const,
  finishedGoods: {
    all: ["finished-goods"] as const,
    list: (filters: { search: string; status: string; includeArchived: boolean }) => ["finished-goods", "list", filters] as const,
    detail: (metrc: string) => ["finished-goods", "detail", metrc] as const,
    history: (metrc: string) => ["finished-goods", "history", metrc] as const,
  },
  wholesale: {
    all: ["wholesale"] as const,
    inventory: ["wholesale", "inventory"] as const,
    holds: ["wholesale", "holds"] as const,
  },
} as const;

export type QueryKey = readonly unknown[];
