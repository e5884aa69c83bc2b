import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { ApiError, badRequest, forbidden, notFound } from "@/lib/http/errors";
import { STAGE } from "@/lib/domain/batches/constants";

/**
 * Archive toggle (contract `POST /api/archive/{id}`): 404 when missing or already in that state.
 * `onlyDone` is the public route's rule: stage 7 only (403), already archived → 400.
 */
export async function setBatchArchived(ctx: ActorContext, id: string, archive: boolean, options: { onlyDone?: boolean } = {}) {
  return mutate(ctx, async (m) => {
    const before = await m.tx.batch.findUnique({ where: { id } });
    if (!before) throw notFound("Batch not found", "batch_not_found");
    if (options.onlyDone) {
      if (before.stage !== STAGE.DONE) throw forbidden("Only batches at stage 7 (Done) can be archived", "not_done");
      if (before.archived) throw badRequest("Batch is already archived", undefined, "already_archived");
    } else if (before.archived === archive) {
      throw new ApiError(404, "already_in_state", archive ? "Batch not found or already archived" : "Batch not found or not archived");
    }
    const patch = { archived: archive, archived_at: archive ? m.now : null };
    await m.tx.batch.update({ where: { id }, data: patch });
    await m.audit({ entity: "batch", entityId: id, label: before.strain, before, after: { archived: archive } });
    await m.emit("batch.archived", { batch_id: id, strain: before.strain, archived: archive });
    return { status: "success" as const, action: archive ? ("archived" as const) : ("unarchived" as const) };
  });
}
