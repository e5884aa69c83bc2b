"use client";

import { useState } from "react";
import { ArrowLeft, ArrowRight } from "lucide-react";
import type { BatchShape as Batch } from "@/lib/client/batches";
import { STAGE, stageNames } from "@/lib/domain/batches/constants";
import { useChangeStage } from "@/lib/client/batches";
import { Button } from "@/components/ui/button";
import dynamic from "next/dynamic";

const ConfirmDialog = dynamic(() => import("@/components/ui/dialog").then((m) => m.ConfirmDialog), { ssr: false });
const MoveToDoneDialog = dynamic(() => import("@/components/batch/move-to-done-dialog").then((m) => m.MoveToDoneDialog), { ssr: false });

/**
 * `Move to <next stage>`; a step back asks first (it ends or reopens production sessions). "Move
 * to Done" asks for the lab sample, waste and remainder grams and shows the mass-balance gap.
 */
export function StageControls({ batch }: { batch: Batch }) {
  const change = useChangeStage(batch.id);
  const [confirmBack, setConfirmBack] = useState(false);
  const [confirmDone, setConfirmDone] = useState(false);
  const next = batch.stage < 7 ? batch.stage + 1 : null;
  const previous = batch.stage > 0 ? batch.stage - 1 : null;
  return (
    <div className="flex flex-wrap gap-3">
      {previous !== null ? (
        <Button size="lg" onClick={() => setConfirmBack(true)} disabled={change.isPending}>
          <ArrowLeft aria-hidden className="size-5" />
          Back to {stageNames[previous]}
        </Button>
      ) : null}
      {next !== null ? (
        <Button
          size="lg"
          variant="primary"
          busy={change.isPending}
          onClick={() => (next === STAGE.DONE ? setConfirmDone(true) : change.mutate(next))}
        >
          Move to {stageNames[next]}
          <ArrowRight aria-hidden className="size-5" />
        </Button>
      ) : null}
      {next === STAGE.DONE && confirmDone ? (
        <MoveToDoneDialog
          batch={batch}
          open={confirmDone}
          onOpenChange={setConfirmDone}
          busy={change.isPending}
          onConfirm={(grams) => change.mutate({ stage: STAGE.DONE, ...grams }, { onSettled: () => setConfirmDone(false) })}
        />
      ) : null}
      {previous !== null && confirmBack ? (
        <ConfirmDialog
          open={confirmBack}
          onOpenChange={setConfirmBack}
          title={`Move back to ${stageNames[previous]}?`}
          description={`${batch.strain} goes from ${stageNames[batch.stage]} back to ${stageNames[previous]}. The change is recorded in the audit log.`}
          confirmLabel={`Move back to ${stageNames[previous]}`}
          busy={change.isPending}
          onConfirm={() => change.mutate(previous, { onSettled: () => setConfirmBack(false) })}
        />
      ) : null}
    </div>
  );
}
