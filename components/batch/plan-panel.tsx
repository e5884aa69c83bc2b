"use client";

import { memo, useState } from "react";
import type { BatchShape as Batch } from "@/lib/client/batches";
import { sizeGrams, sizes, type Size } from "@/lib/domain/batches/constants";
import { allocate, gramsFor } from "@/lib/domain/batches/allocation";
import { toast } from "@/components/ui/toast";
import { queuedNote, useSavePlan } from "@/lib/client/batches";
import { useSettings } from "@/lib/client/settings";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { formatCount, sizeLabel } from "@/lib/client/format";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";

type PlanForm = Record<Size, string> & { grams: string };

function fromBatch(b: Batch): PlanForm {
  return {
    "0_5": String(b.planned_0_5),
    "0_7": String(b.planned_0_7),
    "1_0": String(b.planned_1_0),
    grams: String(b.plan_use_grams > 0 ? b.plan_use_grams : b.input_grams),
  };
}

const toInt = (s: string) => (s.trim() === "" ? 0 : Number(s));

/**
 * Plan targets: units per size within the grams the batch may use. The cap (how many of a size
 * the grams still allow) shows beside each size; the server caps the plan too (`adjusted`).
 */
type PanelProps = { batch: Batch; canEdit: boolean };

/** Re-renders only when the plan or the input grams change, not on every count tap. */
export const PlanPanel = memo(
  function PlanPanel({ batch, canEdit }: PanelProps) {
    // A plan saved elsewhere (another tablet, the desk) starts the form afresh from the new values.
    return <PlanEditor key={JSON.stringify(fromBatch(batch))} batch={batch} canEdit={canEdit} />;
  },
  (a: PanelProps, b: PanelProps) => a.canEdit === b.canEdit && JSON.stringify(fromBatch(a.batch)) === JSON.stringify(fromBatch(b.batch)),
);

function PlanEditor({ batch, canEdit }: { batch: Batch; canEdit: boolean }) {
  const save = useSavePlan(batch.id);
  const settings = useSettings();
  const [values, setValues] = useState<PlanForm>(() => fromBatch(batch));
  const [errors, setErrors] = useState<Partial<Record<keyof PlanForm, string>>>({});

  const available = Math.min(Math.max(0, Number(values.grams) || 0), batch.input_grams);
  const units = { "0_5": toInt(values["0_5"]), "0_7": toInt(values["0_7"]), "1_0": toInt(values["1_0"]) };
  const used = Number.isFinite(gramsFor(units)) ? gramsFor(units) : 0;
  const over = used > available + 1e-9;

  const validate = (): boolean => {
    const next: typeof errors = {};
    for (const s of sizes) {
      const n = Number(values[s]);
      if (values[s].trim() !== "" && (!Number.isInteger(n) || n < 0)) next[s] = "Whole pre-rolls, 0 or more";
    }
    const g = Number(values.grams);
    if (!Number.isFinite(g) || g < 0) next.grams = "Grams, 0 or more";
    else if (g > batch.input_grams) next.grams = `At most the batch's ${batch.input_grams} g`;
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!validate()) return;
    const grams = Number(values.grams);
    save.mutate(
      {
        planned_0_5: units["0_5"],
        planned_0_7: units["0_7"],
        planned_1_0: units["1_0"],
        plan_use_grams: grams >= batch.input_grams ? 0 : grams,
      },
      {
        onSuccess: (res) => {
          if (res.status === "queued") toast.info(queuedNote);
          else if (res.body.adjusted) toast.warning("Plan capped to the grams available");
          else toast.success("Plan saved");
        },
        onError: (error) => {
          setErrors(
            serverFieldMessages(error, { "0_5": "planned_0_5", "0_7": "planned_0_7", "1_0": "planned_1_0", grams: "plan_use_grams" }),
          );
        },
      },
    );
  };

  const useAllocation = () => {
    const allocation = (settings.data?.allocation ?? [40, 30, 30]) as [number, number, number];
    const next = allocate(available, allocation);
    setValues((v) => ({ ...v, "0_5": String(next["0_5"]), "0_7": String(next["0_7"]), "1_0": String(next["1_0"]) }));
  };

  return (
    <Card aria-labelledby="plan-title">
      <CardTitle>
        <span id="plan-title">Plan targets</span>
      </CardTitle>
      <form onSubmit={submit} noValidate className="space-y-3">
        <fieldset disabled={!canEdit} className="space-y-3">
          <legend className="sr-only">Plan</legend>
          <Field
            label="Grams to use"
            inputMode="decimal"
            value={values.grams}
            onChange={(e) => setValues((v) => ({ ...v, grams: e.target.value }))}
            hint={`of ${batch.input_grams.toLocaleString("en-US")} g input`}
            error={errors.grams}
          />
          {sizes.map((s) => {
            const others = gramsFor({ ...units, [s]: 0 });
            const max = Math.max(0, Math.floor((available - others) / sizeGrams[s] + 1e-9));
            return (
              <Field
                key={s}
                label={`${sizeLabel(s)} planned`}
                inputMode="numeric"
                value={values[s]}
                onChange={(e) => setValues((v) => ({ ...v, [s]: e.target.value }))}
                hint={`max ${formatCount(max)}`}
                error={errors[s]}
              />
            );
          })}
        </fieldset>
        <p
          className={cx("rounded-xl p-3 text-center font-semibold", over ? "bg-orange-950 text-orange-200" : "bg-neutral-800")}
          data-testid="plan-total"
        >
          Total {used.toLocaleString("en-US", { maximumFractionDigits: 1 })} g of {available.toLocaleString("en-US")} g
          {over ? " — over: saving scales the plan down to fit" : ""}
        </p>
        {canEdit ? (
          <div className="flex flex-wrap gap-3">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save plan
            </Button>
            <Button onClick={useAllocation}>Use allocation</Button>
          </div>
        ) : null}
      </form>
    </Card>
  );
}
