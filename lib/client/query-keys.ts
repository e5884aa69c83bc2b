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
    // Desk /centrifuge page: calculators are keyed by their whole input (results are pure).
    tool: (name: string, input: unknown) => ["centrifuge", "tool", name, input] as const,
    guide: ["centrifuge", "guide"] as const,
    impulseZones: ["centrifuge", "impulse-zones"] as const,
    curve: (machine: string) => ["centrifuge", "curve", machine] as const,
    strains: ["centrifuge", "strains"] as const,
    trends: (strain: string) => ["centrifuge", "trends", strain] as const,
    unified: (strain: string, filters: unknown) => ["centrifuge", "recommendations", strain, "desk", filters] as const,
    history: ["centrifuge", "history"] as const,
    strainHistory: (strain: string) => ["centrifuge", "history", strain] as const,
  },
  inventory: {
    all: ["inventory"] as const,
    papers: ["inventory", "papers"] as const,
  },
  settings: ["settings"] as const,
  finishedGoods: {
    all: ["finished-goods"] as const,
  },
  wholesale: {
    all: ["wholesale"] as const,
  },
} as const;

export type QueryKey = readonly unknown[];
