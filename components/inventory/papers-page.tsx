"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import { toast } from "@/components/ui/toast";
import { usePaperInventory, useUpdatePapers } from "@/lib/client/inventory";
import { queuedNote } from "@/lib/client/batches";
import { useCan } from "@/lib/client/current-user";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { formatDateTime, sizeLabel } from "@/lib/client/format";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import type { InventoryResponse } from "@/lib/domain/supplies/inventory-response";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { PapersBanner } from "@/components/board/board-banners";

// Admins only: thresholds, box sizes, other supplies and their bill of materials. Loaded on
// demand so operators' tablets never download it (the floor page's JavaScript stays as it is).
const InventoryAdmin = dynamic(() => import("@/components/inventory/inventory-admin"), {
  ssr: false,
  loading: () => (
    <Loading label="Loading inventory settings">
      <Skeleton className="mt-8 h-64" />
    </Loading>
  ),
});

/** `/inventory`, floor part: papers/cones per size and a quick shelf count (+ the admin part). */
export function PapersPage() {
  const inventory = usePaperInventory();
  const isAdmin = useCan("admin");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Papers and cones</h1>
      {inventory.isPending ? (
        <Loading label="Loading papers and cones">
          <div className="grid gap-4 md:grid-cols-3">
            {sizes.map((s) => (
              <Skeleton key={s} className="h-96" />
            ))}
          </div>
        </Loading>
      ) : inventory.isError ? (
        <ErrorState title="Could not load papers and cones" error={inventory.error} onRetry={() => void inventory.refetch()} />
      ) : (
        <>
          <PapersBanner />
          <div className="grid gap-4 md:grid-cols-3">
            {sizes.map((s) => (
              // A new count from anywhere starts that size's form afresh.
              <SizeCard
                key={`${s}:${inventory.data.inventory.current_boxes[s]}:${inventory.data.inventory.individual_papers[s]}`}
                size={s}
                data={inventory.data}
              />
            ))}
          </div>
        </>
      )}
      {isAdmin ? <InventoryAdmin /> : null}
    </div>
  );
}

function SizeCard({ size, data }: { size: Size; data: InventoryResponse }) {
  const canEdit = useCan("operator");
  const update = useUpdatePapers();
  const boxes = data.inventory.current_boxes[size];
  const loose = data.inventory.individual_papers[size];
  const threshold = data.inventory.alert_thresholds[size];
  const perBox = data.inventory.papers_per_box[size];
  const days = data.analytics.predicted_days_remaining[size];
  const daily = data.analytics.average_daily_usage[size];
  const low = data.alerts.some((a) => a.size === size);
  const [form, setForm] = useState({ boxes: String(boxes), loose: String(loose) });
  const [errors, setErrors] = useState<{ boxes?: string; loose?: string }>({});

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    const b = Number(form.boxes);
    const l = Number(form.loose);
    if (form.boxes.trim() === "" || !Number.isInteger(b) || b < 0) next.boxes = "Whole boxes, 0 or more";
    if (form.loose.trim() === "" || !Number.isInteger(l) || l < 0) next.loose = "Whole papers, 0 or more";
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    update.mutate(
      { size, box_count: b, individual_papers: l },
      {
        onSuccess: (res) => (res.status === "applied" ? toast.success(`${sizeLabel(size)} papers saved`) : toast.info(queuedNote)),
        onError: (error) => {
          const messages = serverFieldMessages(error, { boxes: "box_count", loose: "individual_papers" });
          setErrors(messages);
          if (Object.keys(messages).length === 0) toast.error(error.message);
        },
      },
    );
  };

  const titleId = `papers-${size}-title`;
  return (
    <Card aria-labelledby={titleId} data-testid={`papers-${size}`}>
      <div className="mb-3 flex items-center justify-between">
        <h2 id={titleId} className="text-xl font-bold">
          {sizeLabel(size)} papers
        </h2>
        {low ? <Badge tone="orange">Low stock</Badge> : <Badge tone="green">In stock</Badge>}
      </div>
      <dl className="grid grid-cols-2 gap-3">
        <Stat label="Boxes" value={boxes} hint={`${perBox.toLocaleString("en-US")} per box`} />
        <Stat label="Loose papers" value={loose.toLocaleString("en-US")} />
        <Stat label="Total papers" value={data.current_papers[size].toLocaleString("en-US")} hint={`low below ${threshold} boxes`} />
        <Stat
          label="Days remaining"
          value={days === null ? "—" : Math.round(days)}
          hint={daily === null ? "no recent use" : `${Math.round(daily).toLocaleString("en-US")} a day`}
        />
      </dl>
      <p className="mt-2 text-sm text-neutral-300">Counted {formatDateTime(data.inventory.last_updated[size])}</p>
      {canEdit ? (
        <form onSubmit={submit} noValidate className="mt-4 space-y-3 border-t border-neutral-800 pt-4">
          <p className="font-semibold">Shelf count</p>
          <div className="grid grid-cols-2 gap-3">
            <Field
              label="Boxes on the shelf"
              inputMode="numeric"
              value={form.boxes}
              onChange={(e) => setForm((f) => ({ ...f, boxes: e.target.value }))}
              error={errors.boxes}
            />
            <Field
              label="Loose papers"
              inputMode="numeric"
              value={form.loose}
              onChange={(e) => setForm((f) => ({ ...f, loose: e.target.value }))}
              error={errors.loose}
            />
          </div>
          <Button type="submit" variant="primary" busy={update.isPending} className="w-full">
            Save {sizeLabel(size)} count
          </Button>
        </form>
      ) : null}
    </Card>
  );
}
