"use client";

import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Archive, ArchiveRestore, ExternalLink, Trash2 } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { StageBadge } from "@/components/ui/stage-badge";
import { ApiRequestError } from "@/lib/client/api";
import { useCan } from "@/lib/client/current-user";
import { useBatchForEdit, useDeleteBatch, useSaveBatch, useSaveBatchPlan, useSetBatchArchived } from "@/lib/client/batch-desk";
import { sizeLabel } from "@/lib/client/format";
import { sizes } from "@/lib/domain/batches/constants";
import type { Batch, BatchDetailResponse } from "@/lib/domain/batches/batch-response";
import { queryKeys } from "@/lib/client/query-keys";
import { applyBatchServerErrors, BatchFormFields, FormActions, useBatchForm } from "@/components/batch-desk/batch-form";
import { batchFormValuesFrom, editChanges, type BatchFormValues } from "@/components/batch-desk/batch-form-values";
import { MassBalanceLive } from "@/components/batch-desk/mass-balance-live";
import { BatchInputsSection } from "@/components/genealogy/batch-inputs-section";

/** `/batches/{id}/edit`: every field of a batch; archive, unarchive and (admins) delete. */
export function EditBatchPage({ id }: { id: string }) {
  const query = useBatchForEdit(id);
  if (query.isPending)
    return (
      <div className="space-y-4">
        <h1 className="text-3xl font-bold">Edit batch</h1>
        <Loading label="Loading the batch">
          <Skeleton className="h-64" />
          <Skeleton className="mt-6 h-96" />
        </Loading>
      </div>
    );
  if (query.isError) {
    const missing = query.error instanceof ApiRequestError && query.error.status === 404;
    return (
      <div className="space-y-4">
        <h1 className="text-3xl font-bold">{missing ? "Batch not found" : "Edit batch"}</h1>
        {missing ? (
          <EmptyState title="This batch does not exist">
            It may have been deleted. The board and the archive list every batch there is.
          </EmptyState>
        ) : (
          <ErrorState title="Could not load the batch" error={query.error} onRetry={() => void query.refetch()} />
        )}
      </div>
    );
  }
  // Keyed by the loaded record's id: the form is filled once, not reset by background refreshes.
  return (
    <div className="space-y-8">
      <EditBatchForm key={query.data.batch.id} batch={query.data.batch} latest={query.data.batch} />
      {/* Outside the batch form: its own small form (forms do not nest). */}
      <BatchInputsSection batchId={query.data.batch.id} />
    </div>
  );
}

function EditBatchForm({ batch, latest }: { batch: Batch; latest: Batch }) {
  const [initial, setInitial] = useState(() => batchFormValuesFrom(batch));
  const [savedAt, setSavedAt] = useState<string | null>(batch.updated_at);
  const form = useBatchForm("edit", initial);
  const save = useSaveBatch(batch.id);
  const savePlan = useSaveBatchPlan();
  const canEdit = useCan("operator");
  const canDelete = useCan("admin");
  const router = useRouter();
  const archive = useSetBatchArchived();
  const remove = useDeleteBatch();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const client = useQueryClient();

  const changedElsewhere = savedAt !== null && latest.updated_at !== savedAt && form.formState.isDirty;

  const onSubmit = async (values: BatchFormValues) => {
    const changes = editChanges(initial, values);
    if (!changes.fields && !changes.counts && changes.stage === null && !changes.plan) {
      toast.info("Nothing changed");
      return;
    }
    try {
      await save.mutateAsync({ fields: changes.fields, counts: changes.counts, stage: changes.stage });
    } catch (error) {
      if (!applyBatchServerErrors(form, error)) toast.error(error instanceof Error ? error.message : "Could not save the batch");
      return;
    }
    let next = values;
    if (changes.plan) {
      try {
        const saved = await savePlan.mutateAsync({ id: batch.id, plan: changes.plan });
        next = {
          ...values,
          planned_0_5: String(saved.planned_0_5),
          planned_0_7: String(saved.planned_0_7),
          planned_1_0: String(saved.planned_1_0),
        };
        if (saved.adjusted)
          toast.warning(
            `Plan capped to fit the grams (adjusted): ${sizes.map((s) => `${saved[`planned_${s}`]} × ${sizeLabel(s)}`).join(", ")}`,
          );
      } catch (error) {
        toast.error(`Saved, but not the plan: ${error instanceof Error ? error.message : error}`);
        return;
      }
    }
    setInitial(next);
    form.reset(next);
    // The refetched record (the mutations wait for it) is the new baseline, not "someone else's change".
    setSavedAt(client.getQueryData<BatchDetailResponse>(queryKeys.batches.detail(batch.id))?.batch.updated_at ?? null);
    toast.success("Batch saved");
  };

  const toggleArchive = () =>
    archive.mutate(
      { id: batch.id, archive: !batch.archived },
      {
        onSuccess: (res) => {
          toast.success(res.action === "archived" ? `${batch.strain} archived` : `${batch.strain} is back on the board`);
          router.push(res.action === "archived" ? "/archive" : `/batches/${batch.id}`);
        },
        onError: (error) => toast.error(error.message),
      },
    );

  return (
    <form noValidate onSubmit={form.handleSubmit(onSubmit)} className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-3xl font-bold">Edit batch: {batch.strain}</h1>
        <StageBadge stage={batch.stage} />
        {batch.archived ? <span className="rounded-full bg-neutral-700 px-3 py-1 text-sm font-semibold">Archived</span> : null}
        <Link
          href={`/batches/${batch.id}`}
          prefetch={false}
          className="ml-auto inline-flex min-h-12 items-center gap-2 rounded-xl px-3 font-semibold text-neutral-100 hover:bg-neutral-800"
        >
          <ExternalLink aria-hidden className="size-5" /> Floor page
        </Link>
      </div>
      {changedElsewhere ? (
        <p role="status" className="rounded-xl border border-orange-600 bg-orange-950/50 p-3 text-orange-100">
          Someone changed this batch since you opened it (counts on the floor, for example). Saving sends only the fields you changed.
        </p>
      ) : null}
      {!canEdit ? (
        <p className="rounded-xl border border-neutral-700 p-3 text-neutral-200">
          You can read this batch; only operators and admins can change it.
        </p>
      ) : null}
      <fieldset disabled={!canEdit} className="min-w-0">
        <legend className="sr-only">Batch fields</legend>
        <BatchFormFields form={form} mode="edit" />
      </fieldset>
      <MassBalanceLive form={form} batch={batch} />
      {canEdit ? (
        <FormActions saveLabel="Save" busy={form.formState.isSubmitting} cancelHref={`/batches/${batch.id}`}>
          <div className="ml-auto flex flex-wrap gap-3">
            <Button onClick={toggleArchive} busy={archive.isPending}>
              {batch.archived ? <ArchiveRestore aria-hidden className="size-5" /> : <Archive aria-hidden className="size-5" />}
              {batch.archived ? "Unarchive" : "Archive"}
            </Button>
            {canDelete ? (
              <Button variant="danger" onClick={() => setConfirmDelete(true)}>
                <Trash2 aria-hidden className="size-5" /> Delete
              </Button>
            ) : null}
          </div>
        </FormActions>
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title={`Delete ${batch.strain}?`}
        description="The batch and its history rows (counts, weight checks, centrifuge records) are removed for good; finished-goods packages made from it stay. The audit log keeps what happened. Archive it instead to keep its history."
        confirmLabel="Delete batch"
        busy={remove.isPending}
        onConfirm={async () => {
          try {
            await remove.mutateAsync(batch.id);
          } catch (error) {
            setConfirmDelete(false);
            toast.error(error instanceof Error ? error.message : "Could not delete the batch");
            return;
          }
          toast.success(`${batch.strain} deleted`);
          router.push("/");
        }}
      />
    </form>
  );
}
