"use client";

import type { BatchShape as Batch } from "@/lib/client/batches";
import { useUpdateBatch } from "@/lib/client/batches";
import { Card, CardTitle } from "@/components/ui/card";
import { NumberStepper } from "@/components/ui/number-stepper";

const COUNTERS = [
  { field: "packaged_singles", label: "Singles" },
  { field: "packaged_6_packs", label: "6-packs" },
  { field: "packaged_12_packs", label: "12-packs" },
  { field: "loose_tupperware", label: "Loose" },
] as const;

/** Bagging (stage 6): what has been packed, saved at each tap. */
export function BaggingPanel({ batch, canEdit }: { batch: Batch; canEdit: boolean }) {
  const update = useUpdateBatch(batch.id);
  return (
    <Card aria-labelledby="bagging-title">
      <CardTitle>
        <span id="bagging-title">Bagging</span>
      </CardTitle>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {COUNTERS.map(({ field, label }) => (
          <NumberStepper
            key={field}
            label={label}
            value={batch[field]}
            disabled={!canEdit}
            onChange={(value) => update.mutate({ [field]: value })}
          />
        ))}
      </div>
    </Card>
  );
}
