import { db } from "@/lib/db/client";
import { strainKey } from "@/lib/domain/centrifuge/strain";
import { own } from "@/lib/safe-keys";
import type { CentrifugeHistoryResponse } from "@/lib/domain/centrifuge/centrifuge-tools-response";

/** Rows returned at most (newest first). */
export const HISTORY_LIMIT = 1000;

interface HistoryEntry {
  batch_id: string;
  strain: string | null;
  timestamp: string;
  field: string;
  setting: string;
  size: string | null;
  old_value: string | null;
  new_value: string | null;
  actor: string;
}

const BY_SIZE = "centrifuge_settings_by_size";

/** One size's value of a setting in a stored `centrifuge_settings_by_size` (own keys only: it is stored JSON). */
const valueAt = (bySize: Record<string, Record<string, unknown>>, size: string, setting: string) => own(own(bySize, size), setting);

const str = (v: unknown) => (v === null || v === undefined ? null : typeof v === "object" ? JSON.stringify(v) : String(v));

function parseJson(text: string | null): Record<string, Record<string, unknown>> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Record<string, unknown>>) : {};
  } catch {
    return {};
  }
}

/**
 * `GET /api/centrifuge-history/{strain}`: every change of a centrifuge setting on the strain's
 * batches, newest first, from the audit trail (entity `batch`, field `centrifuge_*`, label = the
 * strain, compared case/spacing-insensitively). `setting` is the field without its size path and
 * `size` the per-size tab: per-size saves are audited as `centrifuge_settings_by_size.<size>.<field>`,
 * and a whole `centrifuge_settings_by_size` value (a batch edit) is split into its changed values.
 */
export async function centrifugeHistory(strain: string): Promise<CentrifugeHistoryResponse> {
  const key = strainKey(strain);
  const rows = await db.auditLog.findMany({
    where: { entity: "batch", field: { startsWith: "centrifuge_" } },
    orderBy: { id: "desc" },
  });
  const history: HistoryEntry[] = [];
  for (const r of rows) {
    if (!r.label || strainKey(r.label) !== key) continue;
    const base = { batch_id: r.entity_id, strain: r.label, timestamp: r.at.toISOString(), actor: r.actor };
    const sized = /^centrifuge_settings_by_size\.([^.]+)\.(.+)$/.exec(r.field);
    if (sized) {
      history.push({ ...base, field: r.field, setting: sized[2], size: sized[1], old_value: r.old, new_value: r.new });
    } else if (r.field === BY_SIZE) {
      const before = parseJson(r.old);
      const after = parseJson(r.new);
      for (const size of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
        const fields = new Set([...Object.keys(own(before, size) ?? {}), ...Object.keys(own(after, size) ?? {})]);
        for (const setting of [...fields].sort()) {
          const old = str(valueAt(before, size, setting));
          const next = str(valueAt(after, size, setting));
          if (old !== next)
            history.push({ ...base, field: `${BY_SIZE}.${size}.${setting}`, setting, size, old_value: old, new_value: next });
        }
      }
    } else {
      history.push({ ...base, field: r.field, setting: r.field, size: null, old_value: r.old, new_value: r.new });
    }
    if (history.length >= HISTORY_LIMIT) break;
  }
  return { strain, history: history.slice(0, HISTORY_LIMIT), total_changes: history.length };
}
