"use client";

import Link from "next/link";
import { useState } from "react";
import { Calculator, History, Minus, PackageCheck, Plus } from "lucide-react";
import { useCan } from "@/lib/client/current-user";
import { usePackageActions } from "@/lib/client/finished-goods";
import type { FinishedGood } from "@/lib/domain/finished-goods/finished-good-response";
import { calculatePackage, effectiveSkus, unitsFrom } from "@/lib/domain/finished-goods/sku-engine";
import { AmountDialog } from "@/components/finished-goods/amount-dialog";
import { formatGrams, formatUnits } from "@/components/finished-goods/fg-format";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { cx } from "@/components/ui/cx";

type Open = null | "calc" | "add" | "deduct" | "pack";

const actionButton = "min-h-12 px-3 text-sm";

/** Calc, Add, Deduct, Pack and History for one package (its card and its page). */
export function PackageActions({ pkg, showHistory = true }: { pkg: FinishedGood; showHistory?: boolean }) {
  const canEdit = useCan("operator");
  const actions = usePackageActions(pkg.metrc_number);
  const [open, setOpen] = useState<Open>(null);
  const onOpenChange = (next: boolean) => !next && setOpen(null);
  const label = `${pkg.strain} (${pkg.metrc_number})`;
  const editable = canEdit && (pkg.status === "active" || pkg.status === "depleted");

  return (
    <div className="flex flex-wrap gap-2">
      <Button className={actionButton} onClick={() => setOpen("calc")} aria-label={`Calc ${label}`}>
        <Calculator aria-hidden className="size-4" /> Calc
      </Button>
      {editable ? (
        <>
          <Button className={actionButton} onClick={() => setOpen("add")} aria-label={`Add to ${label}`}>
            <Plus aria-hidden className="size-4" /> Add
          </Button>
          <Button className={actionButton} onClick={() => setOpen("deduct")} aria-label={`Deduct from ${label}`}>
            <Minus aria-hidden className="size-4" /> Deduct
          </Button>
          <Button className={actionButton} onClick={() => setOpen("pack")} aria-label={`Pack ${label}`}>
            <PackageCheck aria-hidden className="size-4" /> Pack
          </Button>
        </>
      ) : null}
      {showHistory ? (
        <Link
          href={`/finished-goods/${encodeURIComponent(pkg.metrc_number)}#history`}
          aria-label={`History of ${label}`}
          className={cx(
            "inline-flex min-h-12 items-center gap-2 rounded-xl border border-neutral-700 bg-neutral-800 px-3 text-sm font-semibold text-neutral-100 hover:bg-neutral-700",
            "focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-sky-400",
          )}
        >
          <History aria-hidden className="size-4" /> History
        </Link>
      ) : null}

      {open === "calc" ? <CalcDialog pkg={pkg} onOpenChange={onOpenChange} /> : null}
      {open === "add" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          title={`Add to ${pkg.strain}`}
          description={`Grams or units back onto ${pkg.metrc_number} (now ${formatGrams(pkg.current_grams)}).`}
          submitLabel="Add"
          allowUnits
          busy={actions.add.isPending}
          onSubmit={async (body) => {
            const res = await actions.add.mutateAsync(body);
            return `Added ${formatGrams(res.added_grams)}: ${formatGrams(res.current_grams)} now`;
          }}
        />
      ) : null}
      {open === "deduct" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          title={`Deduct from ${pkg.strain}`}
          description={`Grams or units taken off ${pkg.metrc_number} (now ${formatGrams(pkg.current_grams)}).`}
          submitLabel="Deduct"
          allowUnits
          busy={actions.deduct.isPending}
          onSubmit={async (body) => {
            const res = await actions.deduct.mutateAsync(body);
            return `Deducted ${formatGrams(res.deducted_grams)}: ${formatGrams(res.current_grams)} left`;
          }}
        />
      ) : null}
      {open === "pack" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          title={`Pack ${pkg.strain}`}
          description={`Grams taken off the shelf into packed product (${formatGrams(pkg.grams_packed)} packed now).`}
          submitLabel="Pack"
          busy={actions.pack.isPending}
          onSubmit={async (body) => {
            const res = await actions.pack.mutateAsync({ grams: body.grams, reason: body.reason });
            return `Packed ${formatGrams(res.packed_grams)}: ${formatGrams(res.current_grams)} on the shelf`;
          }}
        />
      ) : null}
    </div>
  );
}

/** Units each of the package's SKUs makes from some grams (by default what is left after orders and holds). */
function CalcDialog({ pkg, onOpenChange }: { pkg: FinishedGood; onOpenChange: (open: boolean) => void }) {
  const available = calculatePackage(pkg, pkg.wholesale_holds).available_grams;
  const [grams, setGrams] = useState(String(available));
  const value = Number(grams);
  const valid = grams.trim() !== "" && Number.isFinite(value) && value >= 0;
  return (
    <Dialog open onOpenChange={onOpenChange} title={`Calc · ${pkg.strain}`} description="What these grams make, per SKU, each on its own.">
      <div className="space-y-4">
        <Field
          label="Grams to calculate"
          inputMode="decimal"
          value={grams}
          onChange={(e) => setGrams(e.target.value)}
          error={valid ? null : "Enter grams, 0 or more"}
          hint={`${formatGrams(available)} available after orders and holds`}
        />
        <dl className="grid grid-cols-2 gap-2" aria-live="polite">
          {effectiveSkus(pkg.custom_skus).map((sku) => (
            <div key={sku.key} className="rounded-xl bg-neutral-800 p-3">
              <dt className="text-sm text-neutral-300">{sku.name}</dt>
              <dd className="text-2xl font-bold tabular-nums">{valid ? formatUnits(unitsFrom(value, sku.grams_per_unit)) : "—"}</dd>
            </div>
          ))}
        </dl>
      </div>
    </Dialog>
  );
}
