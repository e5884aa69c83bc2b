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
  },
  wholesale: {
    all: ["wholesale"] as const,
  },
  /** The desk analytics page's series (batches, production, stages, papers, finished goods). */
  analytics: {
    all: ["analytics"] as const,
    productionHistory: (days: number) => ["analytics", "production-history", days] as const,
    series: (days: number) => ["analytics", "series", days] as const,
    overview: ["analytics", "overview"] as const,
    batches: ["analytics", "batches"] as const,
    finishedGoodsHistory: ["analytics", "finished-goods-history"] as const,
  },
  /** Sales recommendations and their snapshots. */
  recommendations: {
    all: ["recommendations"] as const,
    latest: ["recommendations", "latest"] as const,
    history: ["recommendations", "history"] as const,
    snapshot: (timestamp: string) => ["recommendations", "snapshot", timestamp] as const,
    compare: (timestamp1: string, timestamp2: string, store: string) =>
      ["recommendations", "compare", timestamp1, timestamp2, store] as const,
    insights: (timestamp1: string, timestamp2: string) => ["recommendations", "insights", timestamp1, timestamp2] as const,
  },
} as const;

export type QueryKey = readonly unknown[];
