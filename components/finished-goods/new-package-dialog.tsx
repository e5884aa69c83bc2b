"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Plus } from "lucide-react";
import { ApiRequestError } from "@/lib/client/api";
import { useCreatePackage } from "@/lib/client/finished-goods";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import type { NewPackageValues } from "@/components/finished-goods/fg-form-schemas";
import { formatGrams } from "@/components/finished-goods/fg-format";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";

type FormValues = { metrc_number: string; strain: string; grams: string; notes: string; source_batch_id: string };
const fields = ["metrc_number", "strain", "grams", "notes", "source_batch_id"] as const;

const resolver = lazyZodResolver<FormValues, NewPackageValues>(() =>
  import("@/components/finished-goods/fg-form-schemas").then((m) => m.newPackageSchema as never),
);

/** `New package`: a METRC tag (24 characters), strain and grams; notes and the source batch optional. */
export function NewPackageDialog() {
  const [open, setOpen] = useState(false);
  const create = useCreatePackage();
  const router = useRouter();
  const form = useForm<FormValues, unknown, NewPackageValues>({
    resolver,
    defaultValues: { metrc_number: "", strain: "", grams: "", notes: "", source_batch_id: "" },
  });
  if (open) resolver.preload();
  const errors = form.formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) form.reset();
  };

  const submit = form.handleSubmit((values) =>
    create.mutateAsync(values).then(
      (res) => {
        toast.success(`${res.package.strain} ${res.package.metrc_number} created with ${formatGrams(res.package.initial_grams)}`);
        onOpenChange(false);
        router.push(`/finished-goods/${encodeURIComponent(res.package.metrc_number)}`);
      },
      (error: Error) => {
        if (applyServerFieldErrors(error, form.setError, fields)) return;
        // A tag that exists already (409) is a problem with the tag field.
        if (error instanceof ApiRequestError && error.code === "duplicate_package") {
          form.setError("metrc_number", { type: "server", message: error.message });
          return;
        }
        toast.error(error.message);
      },
    ),
  );

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New package"
      description="A METRC package of finished product: its tag, strain and weight."
      className="max-h-[92vh] overflow-y-auto"
      trigger={
        <Button variant="primary">
          <Plus aria-hidden className="size-5" /> New package
        </Button>
      }
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <Field
          label="METRC number"
          autoComplete="off"
          spellCheck={false}
          inputClassName="font-mono uppercase"
          hint="24 letters or digits, e.g. 1A4060300003B86000012345"
          error={errors.metrc_number?.message}
          {...form.register("metrc_number")}
        />
        <Field label="Strain" autoComplete="off" error={errors.strain?.message} {...form.register("strain")} />
        <Field label="Initial grams" inputMode="decimal" autoComplete="off" error={errors.grams?.message} {...form.register("grams")} />
        <Field label="Notes" autoComplete="off" error={errors.notes?.message} {...form.register("notes")} />
        <Field
          label="Source batch ID"
          autoComplete="off"
          hint="Optional: the batch it was made from"
          error={errors.source_batch_id?.message}
          {...form.register("source_batch_id")}
        />
        <div className="flex justify-end gap-3">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create package
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
