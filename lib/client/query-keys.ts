/**
 * Every TanStack Query key of the app, in one place. Keys are arrays whose first element names
 * the resource, so `invalidateQueries({ queryKey: queryKeys.batches.all })` reaches every batch
 * query; the live-update map (lib/client/live/invalidation-map.ts) picks narrower keys.
 */
export const queryKeys = {
  batches: {
    all: ["batches"] as const,
    active: ["batches", "active"] as const,
    archived: ["batches", "archived"] as const,
    allocationPreview: (grams: number) => ["batches", "allocation-preview", grams] as const,
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
    /** Every supply (papers and the others) with its bill-of-materials use: the admin part of /inventory. */
    supplies: ["inventory", "supplies"] as const,
  },
  settings: ["settings"] as const,
  /** The Pushover view (masked key, has_user_key): the /settings page. */
  pushover: ["pushover"] as const,
  audit: {
    all: ["audit"] as const,
    list: (filters: Record<string, string | number | undefined>) => ["audit", "list", filters] as const,
  },
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
  backups: {
    all: ["backups"] as const,
    status: ["backups", "status"] as const,
    list: ["backups", "list"] as const,
  },
  /** The admin Event system page (/admin/events). */
  eventSystem: {
    all: ["event-system"] as const,
    deliveries: (filter: { status?: string; subscriber_id?: string }) => ["event-system", "deliveries", filter] as const,
    deliveriesAll: ["event-system", "deliveries"] as const,
    delivery: (id: string) => ["event-system", "delivery", id] as const,
    subscribers: ["event-system", "subscribers"] as const,
    sources: ["event-system", "sources"] as const,
    inbound: (filter: { source?: string; status?: string }) => ["event-system", "inbound", filter] as const,
    inboundAll: ["event-system", "inbound"] as const,
    log: (filter: Record<string, string>) => ["event-system", "log", filter] as const,
    status: ["event-system", "status"] as const,
    jobs: ["event-system", "jobs"] as const,
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
  /** Genealogy: a batch's source packages (desk batch edit page) and the /genealogy recall searches. */
  /** The OpenAPI document /api-docs renders (changes only with a new release: no event refreshes it). */
  apiDocs: {
    document: ["api-docs", "document"] as const,
  },
  genealogy: {
    all: ["genealogy"] as const,
    inputs: (batchId: string) => ["genealogy", "inputs", batchId] as const,
    source: (metrc: string) => ["genealogy", "source", metrc] as const,
    package: (metrc: string) => ["genealogy", "package", metrc] as const,
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
