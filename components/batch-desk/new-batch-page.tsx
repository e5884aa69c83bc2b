"use client";

import { useMemo } from "react";
import { useRouter } from "next/navigation";
import { toast } from "@/components/ui/toast";
import { useCan } from "@/lib/client/current-user";
import { useCreateBatch, useSaveBatchPlan } from "@/lib/client/batch-desk";
import { EmptyState } from "@/components/ui/states";
import { applyBatchServerErrors, BatchFormFields, FormActions, useBatchForm } from "@/components/batch-desk/batch-form";
import { createBody, emptyBatchFormValues, planBody, type BatchFormValues } from "@/components/batch-desk/batch-form-values";
import { sizeLabel } from "@/lib/client/format";
import { sizes } from "@/lib/domain/batches/constants";

/** `/batches/new`: the whole form; the plan is saved through the plan route so the cap applies. */
export function NewBatchPage() {
  const canCreate = useCan("operator");
  const initial = useMemo(() => emptyBatchFormValues(), []);
  const form = useBatchForm("create", initial);
  const router = useRouter();
  const create = useCreateBatch();
  const savePlan = useSaveBatchPlan();

  if (!canCreate) {
    return (
      <div className="space-y-4">
        <h1 className="text-3xl font-bold">New batch</h1>
        <EmptyState title="Viewers cannot create batches">Ask an operator or an admin to start the batch.</EmptyState>
      </div>
    );
  }

  const onSubmit = async (values: BatchFormValues) => {
    let id: string;
    try {
      id = (await create.mutateAsync(createBody(values))).batch.id;
    } catch (error) {
      if (!applyBatchServerErrors(form, error)) toast.error(error instanceof Error ? error.message : "Could not create the batch");
      return;
    }
    const plan = planBody(values);
    if (plan) {
      try {
        const saved = await savePlan.mutateAsync({ id, plan });
        if (saved.adjusted)
          toast.warning(`Plan capped to fit the grams: ${sizes.map((s) => `${saved[`planned_${s}`]} × ${sizeLabel(s)}`).join(", ")}`);
      } catch (error) {
        toast.error(`Batch created, but the plan was not saved: ${error instanceof Error ? error.message : error}`);
      }
    }
    toast.success(`Batch ${values.strain.trim()} created`);
    router.push(`/batches/${id}`);
  };

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4">
      <h1 className="text-3xl font-bold">New batch</h1>
      <BatchFormFields form={form} mode="create" />
      <FormActions saveLabel="Create batch" busy={form.formState.isSubmitting} cancelHref="/" />
    </form>
  );
}
