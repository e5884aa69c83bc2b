import type { QueryClient } from "@tanstack/react-query";
import type { QueryKey } from "@/lib/client/query-keys";

/**
 * Mutation keys of the device's own writes, by scope (`["write", "batch", id]`). The live-update
 * code asks `isWriting` before refetching a query, so a refetch never shows a count without the
 * taps still on their way (they refetch themselves when the last one settles).
 */
export const writeKeys = {
  batch: (id: string) => ["write", "batch", id] as const,
  anyBatch: ["write", "batch"] as const,
  inventory: ["write", "inventory"] as const,
};

export function isWriting(client: QueryClient, key: QueryKey): boolean {
  const [resource, kind, id] = key;
  if (resource === "batches") {
    const scope = typeof id === "string" && kind !== "active" ? writeKeys.batch(id) : writeKeys.anyBatch;
    return client.isMutating({ mutationKey: scope }) > 0;
  }
  if (resource === "inventory") return client.isMutating({ mutationKey: writeKeys.inventory }) > 0;
  return false;
}
