import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { diffFields } from "@/lib/db/audit";
import { mutate } from "@/lib/db/mutate";
import type { Prisma } from "@/lib/generated/prisma/client";
import { sizes } from "@/lib/domain/batches/constants";
import { loadBatch } from "@/lib/domain/batches/load-batch";
import { readSettings } from "@/lib/domain/settings/settings";
import { machineId, resolveMachine } from "@/lib/domain/centrifuge/machines";
import type { BatchCentrifugeResponse } from "@/lib/domain/centrifuge/centrifuge-response";

/** A form value: a number, a numeric string, or "" / null to clear. */
const setting = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === "string" ? (v.trim() === "" ? null : Number(v)) : v), schema.nullable()).optional();

export const CENTRIFUGE_SETTING_FIELDS = [
  "centrifuge_rpm",
  "centrifuge_time_seconds",
  "centrifuge_cycles",
  "centrifuge_fill_gauge_cycle1",
  "centrifuge_fill_gauge_cycle2",
] as const;

/**
 * `POST /api/batch/{id}/centrifuge`: the contract's five fields (RPM 500–2500, 1–90 s, 1–3 cycles,
 * fill gauge 1–12), any subset; ours also takes `centrifuge_machine` and `size` — with a size the
 * values go into `centrifuge_settings_by_size[size]` (the Plan page's per-size tabs) instead of
 * the batch-wide fields.
 */
export const updateBatchCentrifugeSchema = z
  .strictObject({
    centrifuge_rpm: setting(z.number().int().min(500).max(2500)),
    centrifuge_time_seconds: setting(z.number().int().min(1).max(90)),
    centrifuge_cycles: setting(z.number().int().min(1).max(3)),
    centrifuge_fill_gauge_cycle1: setting(z.number().min(1).max(12)),
    centrifuge_fill_gauge_cycle2: setting(z.number().min(1).max(12)),
    centrifuge_machine: machineId.nullable().optional(),
    size: z.enum(sizes).optional(),
  })
  .refine((v) => [...CENTRIFUGE_SETTING_FIELDS, "centrifuge_machine" as const].some((k) => v[k] !== undefined), {
    message: "No centrifuge settings given",
  });
export type UpdateBatchCentrifugeInput = z.output<typeof updateBatchCentrifugeSchema>;

/**
 * Saves the settings with one audit row per changed value — per-size values are audited as
 * `centrifuge_settings_by_size.<size>.<field>` so the centrifuge history can show them — and
 * emits `batch.centrifuge_updated` with the changed field names (also when nothing changed, as
 * every other batch save does).
 */
export async function updateBatchCentrifuge(
  ctx: ActorContext,
  id: string,
  input: UpdateBatchCentrifugeInput,
): Promise<BatchCentrifugeResponse> {
  return mutate(ctx, async (m) => {
    const before = await loadBatch(m.tx, id);
    if (input.centrifuge_machine) {
      const settings = await readSettings(m.tx);
      resolveMachine(settings.centrifuge_machines, input.centrifuge_machine, "centrifuge_machine");
    }
    const patch: Record<string, number | string | null> = {};
    for (const key of [...CENTRIFUGE_SETTING_FIELDS, "centrifuge_machine" as const]) {
      if (input[key] !== undefined) patch[key] = input[key];
    }

    let changed: string[];
    let saved: Record<string, unknown>;
    if (input.size) {
      const bySize = { ...((before.centrifuge_settings_by_size ?? {}) as Record<string, Record<string, unknown>>) };
      const current = bySize[input.size] ?? {};
      const prefix = `centrifuge_settings_by_size.${input.size}.`;
      const flat = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(patch).map((k) => [prefix + k, o[k] ?? null]));
      const beforeFlat = flat(current);
      const afterFlat = flat(patch);
      changed = diffFields(beforeFlat, afterFlat).map((c) => c.field);
      saved = { ...current, ...patch };
      if (changed.length > 0) {
        bySize[input.size] = saved;
        await m.tx.batch.update({ where: { id }, data: { centrifuge_settings_by_size: bySize as Prisma.InputJsonObject } });
        await m.audit({ entity: "batch", entityId: id, label: before.strain, before: beforeFlat, after: afterFlat });
      }
    } else {
      changed = diffFields(before, patch).map((c) => c.field);
      saved = Object.fromEntries(Object.keys(patch).map((k) => [k, patch[k]]));
      if (changed.length > 0) {
        await m.tx.batch.update({ where: { id }, data: patch });
        await m.audit({ entity: "batch", entityId: id, label: before.strain, before, after: patch });
      }
    }
    await m.emit("batch.centrifuge_updated", { batch_id: id, strain: before.strain, changed_fields: changed });
    // `saved` is built field by field (the size's stored entry merged with the patch, or the patch).
    const settings = saved as BatchCentrifugeResponse["settings"];
    return { status: "success", batch_id: id, size: input.size ?? null, changed_fields: changed, settings };
  });
}
