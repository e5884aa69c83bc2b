/**
 * Globs for event types and filter values: `*` matches any run of characters (dots included), every
 * other character is literal. A type list is comma-separated: `finished_good.*,batch.stage_changed`.
 */

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    re = new RegExp(`^${body}$`, "s");
    if (cache.size > 1000) cache.clear();
    cache.set(glob, re);
  }
  return re;
}

export function globMatch(glob: string, value: string): boolean {
  if (!glob.includes("*")) return glob === value;
  return globToRegExp(glob).test(value);
}

/** The globs of a comma-separated list, trimmed, empties dropped. */
export function parseTypeGlobs(list: string): string[] {
  return list
    .split(",")
    .map((g) => g.trim())
    .filter((g) => g.length > 0);
}

/** True when `type` matches any glob of the comma-separated list (an empty list matches nothing). */
export function matchesEventType(list: string, type: string): boolean {
  return parseTypeGlobs(list).some((g) => globMatch(g, type));
}
