"use client";

import { useId } from "react";
import { useForm, useWatch } from "react-hook-form";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { ApiRequestError } from "@/lib/client/api";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import type { AmountActionValues } from "@/components/finished-goods/fg-form-schemas";
import { unitSizeOptions } from "@/components/finished-goods/fg-format";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { cx } from "@/components/ui/cx";

type FormValues = { by: "grams" | "units" | "total"; amount: string; unit_size: string; reason: string; order_id: string };

const resolver = lazyZodResolver<FormValues, AmountActionValues>(() =>
  import("@/components/finished-goods/fg-form-schemas").then((m) => m.amountActionSchema as never),
);

/** What the operation's body gets: grams, or units of a size; the reason and an order id. */
export interface AmountBody {
  grams?: number;
  units?: number;
  unit_size?: string;
  reason?: string | null;
  order_id?: string | null;
}

/**
 * One dialog for the grams operations of a package (deduct, add, pack, order, set ordered/packed,
 * complete order): the amount (grams, or units of a size where the route takes them), a reason,
 * optionally an order id. Server field messages land under the fields, other errors in a toast.
 */
export function AmountDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  kind = "grams",
  allowUnits = false,
  withOrderId = false,
  defaultAmount,
  busy,
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  submitLabel: string;
  /** "total" accepts 0 (a new running total). */
  kind?: "grams" | "total";
  /** Deduct and add take units of a size as well as grams. */
  allowUnits?: boolean;
  withOrderId?: boolean;
  defaultAmount?: number;
  busy: boolean;
  /** Runs the mutation; resolves to the confirmation shown in a toast. */
  onSubmit: (body: AmountBody) => Promise<string>;
}) {
  const unitSizeId = useId();
  const form = useForm<FormValues, unknown, AmountActionValues>({
    resolver,
    defaultValues: {
      by: kind,
      amount: defaultAmount === undefined ? "" : String(defaultAmount),
      unit_size: "0.5g",
      reason: "",
      order_id: "",
    },
  });
  if (open) resolver.preload();
  const by = useWatch({ control: form.control, name: "by" });

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) form.reset();
  };

  const submit = form.handleSubmit(async (values) => {
    const body: AmountBody = values.by === "units" ? { units: values.amount, unit_size: values.unit_size } : { grams: values.amount };
    if (values.reason) body.reason = values.reason;
    if (withOrderId && values.order_id) body.order_id = values.order_id;
    try {
      toast.success(await onSubmit(body));
      close(false);
    } catch (error) {
      const fieldErrors = error instanceof ApiRequestError ? error.fields : {};
      // The server names grams/units; both are the one amount field here.
      const amountMessage = fieldErrors.grams ?? fieldErrors.units ?? fieldErrors.unit_size;
      if (amountMessage?.length) form.setError("amount", { type: "server", message: amountMessage.join(" ") });
      else if (!applyServerFieldErrors(error, form.setError, ["reason", "order_id"])) {
        // A short deduct (409 "Insufficient grams available") belongs next to the amount too.
        if (error instanceof ApiRequestError && error.status === 409) form.setError("amount", { type: "server", message: error.message });
        toast.error(error instanceof Error ? error.message : String(error));
      }
    }
  });

  return (
    <Dialog open={open} onOpenChange={close} title={title} description={description} className="max-h-[92vh] overflow-y-auto">
      <form onSubmit={submit} noValidate className="space-y-4">
        {allowUnits ? (
          <fieldset className="flex gap-2">
            <legend className="mb-1 text-sm font-semibold text-neutral-200">Amount in</legend>
            {(["grams", "units"] as const).map((option) => (
              <label
                key={option}
                className={cx(
                  "flex min-h-12 flex-1 cursor-pointer items-center justify-center gap-2 rounded-xl border px-3 font-semibold",
                  by === option ? "border-green-500 bg-green-950 text-green-200" : "border-neutral-600 text-neutral-100",
                )}
              >
                <input type="radio" value={option} className="size-5" {...form.register("by")} />
                {option === "grams" ? "Grams" : "Units of a size"}
              </label>
            ))}
          </fieldset>
        ) : null}
        <div className={cx("grid gap-3", by === "units" && "grid-cols-2")}>
          <Field
            label={by === "units" ? "Units" : kind === "total" ? "Total grams" : "Grams"}
            inputMode={by === "units" ? "numeric" : "decimal"}
            autoComplete="off"
            autoFocus
            error={form.formState.errors.amount?.message}
            {...form.register("amount")}
          />
          {by === "units" ? (
            <div className="flex flex-col gap-1">
              <label htmlFor={unitSizeId} className="text-sm font-semibold text-neutral-200">
                Unit size
              </label>
              <select
                id={unitSizeId}
                className="min-h-12 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg text-neutral-50"
                {...form.register("unit_size")}
              >
                {unitSizeOptions.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
        </div>
        {withOrderId ? (
          <Field label="Order ID" autoComplete="off" error={form.formState.errors.order_id?.message} {...form.register("order_id")} />
        ) : null}
        <Field label="Reason" autoComplete="off" error={form.formState.errors.reason?.message} {...form.register("reason")} />
        <div className="flex justify-end gap-3">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" busy={busy}>
            {submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
