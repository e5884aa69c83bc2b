/** Turns before/after snapshots into one audit row per changed field. */

const IGNORED_FIELDS = new Set(["created_at", "updated_at", "updated_date", "created_date"]);

/** Audit columns are text: dates as ISO strings, objects as JSON, absent as null. */
export function auditValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export interface FieldChange {
  field: string;
  old: string | null;
  new: string | null;
}

/**
 * Fields whose value differs between two snapshots. On create (`before` null) every field set to
 * a non-null value counts as changed; deletion (`after` null) is one `deleted` change.
 */
export function diffFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChange[] {
  if (after === null) {
    return before === null ? [] : [{ field: "deleted", old: "false", new: "true" }];
  }
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(after)) {
    if (IGNORED_FIELDS.has(field) || value === undefined) continue;
    const next = auditValue(value);
    const prev = before === null || !Object.hasOwn(before, field) ? null : auditValue(before[field]);
    if (prev !== next) changes.push({ field, old: prev, new: next });
  }
  return changes;
}
