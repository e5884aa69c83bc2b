/**
 * Query options of desk pages that show stock people act on (finished goods, wholesale). The query
 * cache is kept on the device across page loads, so a page opened again within the stale time
 * would show what it showed last — a hold released on another page, or by another user while
 * this one was closed, would still be listed. Desk pages show the kept copy at once and refetch
 * on every mount.
 */
export const deskFreshness = { refetchOnMount: "always" } as const;
