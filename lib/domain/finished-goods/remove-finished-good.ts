import { z } from "zod";
import type { ActorContext } from "@/lib/context";
import { mutate } from "@/lib/db/mutate";
import { conflict, forbidden } from "@/lib/http/errors";
import { queryBool } from "@/lib/http/params";
import { loadFinishedGood } from "@/lib/domain/finished-goods/load-finished-good";
import { writeHistory } from "@/lib/domain/finished-goods/write-history";

/**
 * `DELETE /api/finished-goods/{metrc}` (EXISTING-SYSTEM §1.3, §6): by default archives the package
 * (its history stays); `?restore=true` brings an archived or orphaned one back, `?orphan=true`
 * marks it orphaned (weight on paper, none on the shelf), `?permanent=true` deletes the row —
 * admin only; its wholesale holds and applied-decrement records go with it, its history rows
 * stay (plus a `delete` row). Archiving and orphaning refuse while wholesale holds exist (409),
 * because a held package must stay on the wholesale page.
 */
export const removeFinishedGoodQuery = z
  .strictObject({ restore: queryBool(), orphan: queryBool(), permanent: queryBool() })
  .refine((q) => [q.restore, q.orphan, q.permanent].filter(Boolean).length <= 1, {
    message: "Use only one of restore, orphan, permanent",
  });
export type RemoveFinishedGoodQuery = z.output<typeof removeFinishedGoodQuery>;

export type RemoveAction = "archive" | "restore" | "orphan" | "delete";

export function removeAction(q: RemoveFinishedGoodQuery): RemoveAction {
  return q.permanent ? "delete" : q.restore ? "restore" : q.orphan ? "orphan" : "archive";
}

const MESSAGES: Record<RemoveAction, string> = {
  archive: "Package archived successfully",
  restore: "Package restored successfully",
  orphan: "Package marked as orphaned successfully",
  delete: "Package permanently deleted",
};

export async function removeFinishedGood(
  ctx: ActorContext,
  metrc: string,
  action: RemoveAction,
  caller: { isAdmin: boolean },
): Promise<{ success: true; message: string; metrc_number: string; status: string | null }> {
  if (action === "delete" && !caller.isAdmin) throw forbidden("Permanent deletion needs the admin role", "admin_required");
  return mutate(ctx, async (m) => {
    const before = await loadFinishedGood(m.tx, metrc);
    const ref = { metrc_number: before.metrc_number, strain: before.strain };

    if (action === "delete") {
      const holds = await m.tx.wholesaleHold.count({ where: { metrc_number: before.metrc_number } });
      await m.tx.finishedGood.delete({ where: { metrc_number: before.metrc_number } });
      await writeHistory(m, { ...before, updated_date: m.now }, "delete", {
        details: { strain: before.strain, status_before: before.status, holds_deleted: holds },
      });
      await m.audit({ entity: "finished_good", entityId: before.metrc_number, label: before.strain, before, after: null });
      await m.emit("finished_good.deleted", ref);
      return { success: true as const, message: MESSAGES.delete, metrc_number: before.metrc_number, status: null };
    }

    let status: string;
    if (action === "restore") {
      if (before.status !== "archived" && before.status !== "orphaned") {
        throw conflict("Package is not archived or orphaned", { status: before.status }, "not_archived");
      }
      status = (before.physical_grams_override ?? before.current_grams) > 0 ? "active" : "depleted";
    } else {
      const target = action === "archive" ? "archived" : "orphaned";
      if (before.status === target) throw conflict(`Package is already ${target}`, { status: before.status }, `already_${target}`);
      const holds = await m.tx.wholesaleHold.count({ where: { metrc_number: before.metrc_number } });
      if (holds > 0) {
        throw conflict(`Release the package's wholesale holds first (${holds} active)`, { active_holds: holds }, "holds_active");
      }
      status = target;
    }
    const after = await m.tx.finishedGood.update({ where: { metrc_number: before.metrc_number }, data: { status, updated_date: m.now } });
    await writeHistory(m, after, action, { details: { status_before: before.status } });
    await m.audit({ entity: "finished_good", entityId: before.metrc_number, label: before.strain, before, after: { status } });
    await m.emit(action === "restore" ? "finished_good.restored" : "finished_good.archived", { ...ref, status });
    return { success: true as const, message: MESSAGES[action], metrc_number: before.metrc_number, status };
  });
}
