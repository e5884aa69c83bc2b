"use client";

import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Plus, Trash2 } from "lucide-react";
import { ApiRequestError } from "@/lib/client/api";
import { useCan } from "@/lib/client/current-user";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { useAddInput, useBatchInputs, useRemoveInput, type AddInputValues } from "@/lib/client/genealogy";
import type { BatchInput } from "@/lib/domain/genealogy/genealogy-response";
import { formatGrams } from "@/components/finished-goods/fg-format";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";

type FormValues = { source_metrc_number: string; grams: string; notes: string };
const inputResolver = lazyZodResolver<FormValues, AddInputValues>(() =>
  import("@/components/genealogy/genealogy-form-schemas").then((m) => m.addInputFormSchema as never),
);
const FIELDS = ["source_metrc_number", "grams", "notes"] as const;

/**
 * "Source packages" of the desk batch edit page: the METRC packages the batch was made from and
 * the grams taken from each; operators add and remove them (not on an archived batch). The sum is
 * checked against the batch's input grams: a warning, never a refusal.
 */
export function BatchInputsSection({ batchId }: { batchId: string }) {
  const inputs = useBatchInputs(batchId);
  const canEdit = useCan("operator");
  const add = useAddInput(batchId);
  const remove = useRemoveInput(batchId);
  const [confirm, setConfirm] = useState<BatchInput | null>(null);
  const form = useForm<FormValues, unknown, AddInputValues>({
    resolver: inputResolver,
    defaultValues: { source_metrc_number: "", grams: "", notes: "" },
  });
  if (canEdit) inputResolver.preload();

  const submit = form.handleSubmit((values) =>
    add.mutateAsync(values).then(
      (res) => {
        toast.success(`Source package ${res.input.source_metrc_number} added (${formatGrams(res.input.grams)})`);
        if (res.input_grams_warning) toast.warning(res.input_grams_warning);
        form.reset();
      },
      (error: Error) => {
        if (applyServerFieldErrors(error, form.setError, FIELDS)) return;
        if (error instanceof ApiRequestError && error.status === 400)
          form.setError("source_metrc_number", { type: "server", message: error.message });
        else toast.error(error.message);
      },
    ),
  );

  return (
    <section aria-labelledby="source-packages-title" className="space-y-3 rounded-2xl border border-neutral-800 bg-neutral-900 p-4">
      <div>
        <h2 id="source-packages-title" className="text-xl font-bold">
          Source packages
        </h2>
        <p className="text-sm text-neutral-300">
          The METRC packages this batch was made from, with the grams taken from each. A{" "}
          <Link href="/genealogy" prefetch={false} className="text-green-300 underline">
            recall
          </Link>{" "}
          of a source finds every package made from it.
        </p>
      </div>
      {inputs.isPending ? (
        <Loading label="Loading source packages">
          <Skeleton className="h-24" />
        </Loading>
      ) : inputs.isError ? (
        <ErrorState title="Could not load the source packages" error={inputs.error} onRetry={() => void inputs.refetch()} />
      ) : (
        <>
          {inputs.data.inputs.length === 0 ? (
            <p className="text-neutral-200">
              No source packages recorded yet.{canEdit && !inputs.data.archived ? " Add the first one below." : ""}
            </p>
          ) : (
            <table className="w-full text-left">
              <caption className="sr-only">Source packages of this batch</caption>
              <thead className="text-sm text-neutral-300">
                <tr>
                  <th scope="col" className="py-2 pr-3">
                    METRC tag
                  </th>
                  <th scope="col" className="py-2 pr-3 text-right">
                    Grams
                  </th>
                  <th scope="col" className="py-2 pr-3">
                    Notes
                  </th>
                  {canEdit && !inputs.data.archived ? (
                    <th scope="col" className="py-2">
                      <span className="sr-only">Remove</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="divide-y divide-neutral-800">
                {inputs.data.inputs.map((i) => (
                  <tr key={i.id} data-testid="source-package-row">
                    <td className="py-2 pr-3 font-mono">
                      <Link
                        href={`/genealogy?tag=${encodeURIComponent(i.source_metrc_number)}`}
                        prefetch={false}
                        className="hover:underline"
                      >
                        {i.source_metrc_number}
                      </Link>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{formatGrams(i.grams)}</td>
                    <td className="py-2 pr-3 text-neutral-200">{i.notes ?? "—"}</td>
                    {canEdit && !inputs.data.archived ? (
                      <td className="py-2 text-right">
                        <Button
                          className="min-h-12 px-3 text-sm"
                          aria-label={`Remove source package ${i.source_metrc_number}`}
                          busy={remove.isPending && remove.variables === i.id}
                          onClick={() => setConfirm(i)}
                        >
                          <Trash2 aria-hidden className="size-4" /> Remove
                        </Button>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="border-t border-neutral-700 font-semibold">
                  <th scope="row" className="py-2 pr-3">
                    Total
                  </th>
                  <td className="py-2 pr-3 text-right tabular-nums">{formatGrams(inputs.data.inputs_total_grams)}</td>
                  <td className="py-2 pr-3 text-sm text-neutral-300">batch input {formatGrams(inputs.data.input_grams)}</td>
                </tr>
              </tfoot>
            </table>
          )}
          {inputs.data.input_grams_warning ? (
            <p role="status" className="rounded-xl border border-orange-600 bg-orange-950/50 p-3 text-orange-100">
              {inputs.data.input_grams_warning}
            </p>
          ) : null}
          {inputs.data.archived ? (
            <p className="text-sm text-neutral-300">This batch is archived: its source packages can no longer change.</p>
          ) : canEdit ? (
            <form onSubmit={submit} noValidate aria-label="Add source package" className="flex flex-wrap items-start gap-3">
              <Field
                label="Source METRC tag"
                className="min-w-64 flex-[2]"
                inputClassName="font-mono uppercase"
                autoComplete="off"
                spellCheck={false}
                error={form.formState.errors.source_metrc_number?.message}
                {...form.register("source_metrc_number")}
              />
              <Field
                label="Grams taken"
                className="w-36"
                inputMode="decimal"
                autoComplete="off"
                error={form.formState.errors.grams?.message}
                {...form.register("grams")}
              />
              <Field
                label="Notes"
                className="min-w-48 flex-1"
                autoComplete="off"
                error={form.formState.errors.notes?.message}
                {...form.register("notes")}
              />
              <Button type="submit" variant="primary" className="mt-6" busy={add.isPending}>
                <Plus aria-hidden className="size-5" /> Add source package
              </Button>
            </form>
          ) : null}
        </>
      )}
      {confirm ? (
        <ConfirmDialog
          open
          onOpenChange={(next) => !next && setConfirm(null)}
          title="Remove this source package?"
          description={`${confirm.source_metrc_number} (${formatGrams(confirm.grams)}) is no longer listed as a source of this batch. The audit log keeps the record.`}
          confirmLabel="Remove source package"
          busy={remove.isPending}
          onConfirm={() =>
            remove.mutate(confirm.id, {
              onSuccess: (res) => {
                toast.success(`Source package ${res.input.source_metrc_number} removed`);
                setConfirm(null);
              },
              onError: (e) => {
                toast.error(e.message);
                setConfirm(null);
              },
            })
          }
        />
      ) : null}
    </section>
  );
}
