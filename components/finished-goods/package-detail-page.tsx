"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { ArrowLeft } from "lucide-react";
import { ApiRequestError } from "@/lib/client/api";
import { useCan } from "@/lib/client/current-user";
import { useFinishedGood, usePackageActions, type RemoveAction } from "@/lib/client/finished-goods";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import type { FinishedGood } from "@/lib/domain/finished-goods/finished-good-response";
import { AmountDialog } from "@/components/finished-goods/amount-dialog";
import { ApexPanel } from "@/components/finished-goods/apex-panel";
import { formatGrams, formatUnits, formatWhen } from "@/components/finished-goods/fg-format";
import { PackageActions } from "@/components/finished-goods/package-actions";
import { packageFigures, StatusBadge } from "@/components/finished-goods/package-card";
import { PackageHistory } from "@/components/finished-goods/package-history";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Stat } from "@/components/ui/stat";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";

/** `/finished-goods/{metrc}`: one package — figures, orders, override, Apex, holds, status and history. */
export function PackageDetailPage({ metrc }: { metrc: string }) {
  const pkg = useFinishedGood(metrc);
  return (
    <div className="space-y-5">
      <Link href="/finished-goods" className="inline-flex min-h-12 items-center gap-2 font-semibold text-green-300 hover:underline">
        <ArrowLeft aria-hidden className="size-5" /> All finished goods
      </Link>
      {pkg.isPending ? (
        <Loading label="Loading the package">
          <Skeleton className="mb-4 h-10 w-80" />
          <Skeleton className="h-64" />
        </Loading>
      ) : pkg.isError ? (
        pkg.error instanceof ApiRequestError && pkg.error.status === 404 ? (
          <>
            <h1 className="text-2xl font-bold">Package {metrc}</h1>
            <ErrorState title="No package has this METRC number" error={pkg.error} />
            {/* A deleted package keeps its history. */}
            <PackageHistory metrc={metrc} />
          </>
        ) : (
          <>
            <h1 className="text-2xl font-bold">Package {metrc}</h1>
            <ErrorState title="Could not load the package" error={pkg.error} onRetry={() => void pkg.refetch()} />
          </>
        )
      ) : (
        <PackageDetail pkg={pkg.data} />
      )}
    </div>
  );
}

function PackageDetail({ pkg }: { pkg: FinishedGood }) {
  const f = packageFigures(pkg);
  return (
    <>
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-3xl font-bold text-green-300">{pkg.strain}</h1>
          <p className="font-mono text-neutral-200">{pkg.metrc_number}</p>
        </div>
        <div className="flex items-center gap-2">
          {pkg.has_physical_override ? <Badge tone="orange">Physical override</Badge> : null}
          <StatusBadge status={pkg.status} />
        </div>
      </header>

      <Card aria-labelledby="figures-title">
        <CardTitle>
          <span id="figures-title">Grams</span>
        </CardTitle>
        <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="On the books" value={formatGrams(pkg.current_grams)} hint={`of ${formatGrams(pkg.initial_grams)} initial`} />
          <Stat
            label="Effective"
            value={formatGrams(pkg.effective_grams)}
            hint={pkg.has_physical_override ? "physical count (override)" : "same as the books"}
          />
          <Stat
            label="Reserved (orders)"
            value={formatGrams(pkg.grams_ordered)}
            hint={`${formatGrams(f.awaitingPacking)} awaiting packing`}
          />
          <Stat label="Packed" value={formatGrams(pkg.grams_packed)} hint={`${formatGrams(pkg.grams_packed_lifetime)} ever packed`} />
          <Stat label="Fulfilled" value={formatGrams(pkg.grams_fulfilled)} />
          <Stat label="Wholesale held" value={formatGrams(f.calc.held_grams)} hint={`${formatUnits(f.heldUnits)} units`} />
          <Stat label="After orders" value={formatGrams(f.afterOrders)} hint="free for Apex and wholesale" />
          <Stat label="Updated" value={formatWhen(pkg.updated_date)} hint={`created ${formatWhen(pkg.created_date)}`} />
        </dl>
        <ProgressBar value={f.used} max={pkg.initial_grams} label="Share of the package used" className="mt-4 h-2" />
        <p className="mt-1 text-sm text-neutral-300">{f.usedPercent.toFixed(1)}% used</p>
        {pkg.notes ? <p className="mt-3 text-neutral-200">Notes: {pkg.notes}</p> : null}
        {pkg.source_batch_id ? <p className="mt-1 text-sm text-neutral-300">Source batch {pkg.source_batch_id}</p> : null}
        <div className="mt-4">
          <PackageActions pkg={pkg} showHistory={false} />
        </div>
      </Card>

      <div className="grid gap-5 lg:grid-cols-2">
        <OrdersPanel pkg={pkg} />
        <OverridePanel pkg={pkg} />
      </div>
      <ApexPanel pkg={pkg} />
      <div className="grid gap-5 lg:grid-cols-2">
        <HoldsPanel pkg={pkg} />
        <LifecyclePanel pkg={pkg} />
      </div>
      <PackageHistory metrc={pkg.metrc_number} />
    </>
  );
}

type OrderAction = null | "order" | "set-ordered" | "set-packed" | "complete";

/** Order lifecycle: reserve grams, correct the running totals, complete an order (grams leave the shelf). */
function OrdersPanel({ pkg }: { pkg: FinishedGood }) {
  const canEdit = useCan("operator");
  const actions = usePackageActions(pkg.metrc_number);
  const [open, setOpen] = useState<OrderAction>(null);
  const onOpenChange = (next: boolean) => !next && setOpen(null);
  const editable = canEdit && (pkg.status === "active" || pkg.status === "depleted");
  return (
    <Card aria-labelledby="orders-title">
      <CardTitle>
        <span id="orders-title">Orders</span>
      </CardTitle>
      <dl className="grid grid-cols-3 gap-3">
        <Stat label="Ordered" value={formatGrams(pkg.grams_ordered)} />
        <Stat label="Packed" value={formatGrams(pkg.grams_packed)} />
        <Stat label="Fulfilled" value={formatGrams(pkg.grams_fulfilled)} />
      </dl>
      <p className="mt-3 text-sm text-neutral-300">
        An order reserves grams without taking them off the shelf; completing it takes them off and counts them as fulfilled.
      </p>
      {editable ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button onClick={() => setOpen("order")}>Order</Button>
          <Button onClick={() => setOpen("set-ordered")}>Set ordered</Button>
          <Button onClick={() => setOpen("set-packed")}>Set packed</Button>
          <Button variant="primary" onClick={() => setOpen("complete")}>
            Complete order
          </Button>
        </div>
      ) : null}
      {open === "order" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          title="Order"
          description={`Reserve grams of ${pkg.strain} for an order (${formatGrams(pkg.grams_ordered)} reserved now).`}
          submitLabel="Reserve"
          busy={actions.order.isPending}
          onSubmit={async (body) => {
            const res = await actions.order.mutateAsync({ grams: body.grams, reason: body.reason });
            return `Reserved ${formatGrams(res.ordered_grams)}: ${formatGrams(res.grams_ordered)} ordered`;
          }}
        />
      ) : null}
      {open === "set-ordered" || open === "set-packed" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          kind="total"
          title={open === "set-ordered" ? "Set ordered" : "Set packed"}
          description={
            open === "set-ordered"
              ? `The new total ordered (now ${formatGrams(pkg.grams_ordered)}); it replaces the old one.`
              : `The new total packed (now ${formatGrams(pkg.grams_packed)}); shelf grams stay as they are.`
          }
          defaultAmount={open === "set-ordered" ? pkg.grams_ordered : pkg.grams_packed}
          submitLabel="Save total"
          busy={actions.setOrdered.isPending || actions.setPacked.isPending}
          onSubmit={async (body) => {
            const mutation = open === "set-ordered" ? actions.setOrdered : actions.setPacked;
            await mutation.mutateAsync({ grams: body.grams, reason: body.reason });
            return `${open === "set-ordered" ? "Ordered" : "Packed"} total set to ${formatGrams(body.grams ?? 0)}`;
          }}
        />
      ) : null}
      {open === "complete" ? (
        <AmountDialog
          open
          onOpenChange={onOpenChange}
          title="Complete order"
          description={`Grams shipped for an order: they leave the shelf (${formatGrams(pkg.current_grams)}) and the reservation (${formatGrams(pkg.grams_ordered)}).`}
          defaultAmount={pkg.grams_ordered > 0 ? pkg.grams_ordered : undefined}
          withOrderId
          submitLabel="Complete order"
          busy={actions.completeOrder.isPending}
          onSubmit={async (body) => {
            await actions.completeOrder.mutateAsync({ grams: body.grams, order_id: body.order_id, reason: body.reason });
            return `Order completed: ${formatGrams(body.grams ?? 0)} fulfilled`;
          }}
        />
      ) : null}
    </Card>
  );
}

type OverrideValues = { physical_grams: string; reason: string };
type OverrideOutput = { physical_grams: number; reason: string | null };
const overrideResolver = lazyZodResolver<OverrideValues, OverrideOutput>(() =>
  import("@/components/finished-goods/fg-form-schemas").then((m) => m.overrideSchema as never),
);

/** Physical override: the grams counted on the shelf replace the books for Apex and wholesale until cleared. */
function OverridePanel({ pkg }: { pkg: FinishedGood }) {
  const canEdit = useCan("operator");
  const { override } = usePackageActions(pkg.metrc_number);
  const form = useForm<OverrideValues, unknown, OverrideOutput>({
    resolver: overrideResolver,
    defaultValues: { physical_grams: "", reason: "" },
  });
  const [clearing, setClearing] = useState(false);

  const fail = (error: Error) => {
    if (!applyServerFieldErrors(error, form.setError, ["physical_grams", "reason"])) toast.error(error.message);
  };
  const submit = form.handleSubmit((values) =>
    override.mutateAsync({ physical_grams: values.physical_grams, reason: values.reason }).then((res) => {
      toast.success(`Override set: ${formatGrams(res.effective_grams)} effective`);
      form.reset();
    }, fail),
  );
  const clear = () => {
    setClearing(true);
    override
      .mutateAsync({ physical_grams: null, reason: form.getValues("reason").trim() || null })
      .then((res) => {
        toast.success(`Override cleared: ${formatGrams(res.effective_grams)} effective`);
        form.reset();
      }, fail)
      .finally(() => setClearing(false));
  };

  return (
    <Card aria-labelledby="override-title" className={pkg.has_physical_override ? "border-orange-500" : undefined}>
      <CardTitle>
        <span id="override-title">Physical override</span>
      </CardTitle>
      <p className="text-neutral-200" data-testid="override-state">
        {pkg.has_physical_override
          ? `${formatGrams(pkg.physical_grams_override ?? 0)} counted on the shelf (books say ${formatGrams(pkg.current_grams)}).`
          : "No override: Apex and wholesale use the books."}
      </p>
      <p className="mt-1 text-sm text-neutral-300">
        After a shelf count, set the grams found; they become the effective grams for Apex units and wholesale holds. The books stay as
        recorded.
      </p>
      {canEdit ? (
        <form onSubmit={submit} noValidate className="mt-3 space-y-3" onFocus={() => overrideResolver.preload()}>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              label="Physical grams"
              inputMode="decimal"
              autoComplete="off"
              error={form.formState.errors.physical_grams?.message}
              {...form.register("physical_grams")}
            />
            <Field label="Override reason" autoComplete="off" error={form.formState.errors.reason?.message} {...form.register("reason")} />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" variant="primary" busy={override.isPending && !clearing}>
              Set override
            </Button>
            {pkg.has_physical_override ? (
              <Button onClick={clear} busy={clearing}>
                Clear override
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </Card>
  );
}

/** The package's wholesale holds; they are made and released on /wholesale. */
function HoldsPanel({ pkg }: { pkg: FinishedGood }) {
  return (
    <Card aria-labelledby="holds-title">
      <CardTitle>
        <span id="holds-title">Wholesale holds</span>
      </CardTitle>
      {pkg.wholesale_holds.length === 0 ? (
        <p className="text-neutral-300">No units held.</p>
      ) : (
        <ul className="space-y-2">
          {pkg.wholesale_holds.map((h) => (
            <li key={h.id} className="rounded-xl bg-neutral-800/70 p-3">
              <p className="font-semibold">
                {formatUnits(h.quantity)} × {h.sku_name}
              </p>
              <p className="text-sm text-neutral-300">
                {formatWhen(h.created_date)}
                {h.created_by ? ` · ${h.created_by}` : ""}
                {h.notes ? ` · ${h.notes}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Link href="/wholesale" className="mt-3 inline-flex min-h-12 items-center font-semibold text-green-300 hover:underline">
        Hold or release units on the wholesale page
      </Link>
    </Card>
  );
}

const removeCopy: Record<RemoveAction, { label: string; title: string; description: string; done: string }> = {
  archive: {
    label: "Archive",
    title: "Archive this package?",
    description: "It leaves the lists, Apex and wholesale; its history stays and it can be restored.",
    done: "Package archived",
  },
  orphan: {
    label: "Mark orphaned",
    title: "Mark this package orphaned?",
    description: "Orphaned: the weight is on paper but nothing is on the shelf. It leaves Apex and wholesale until restored.",
    done: "Package marked orphaned",
  },
  restore: {
    label: "Restore",
    title: "Restore this package?",
    description: "It comes back as active (or depleted when no grams are left).",
    done: "Package restored",
  },
  delete: {
    label: "Delete permanently",
    title: "Delete this package permanently?",
    description: "The package and its wholesale holds are deleted; only its history remains. This cannot be undone.",
    done: "Package deleted",
  },
};

/** Archive / orphan / restore / delete, with the rule that holds block archiving and orphaning. */
function LifecyclePanel({ pkg }: { pkg: FinishedGood }) {
  const canEdit = useCan("operator");
  const isAdmin = useCan("admin");
  const { remove } = usePackageActions(pkg.metrc_number);
  const router = useRouter();
  const [confirm, setConfirm] = useState<RemoveAction | null>(null);
  const holds = pkg.wholesale_holds.length;
  const shelved = pkg.status === "archived" || pkg.status === "orphaned";
  const available: RemoveAction[] = shelved ? ["restore"] : ["archive", "orphan"];
  if (isAdmin) available.push("delete");

  const run = (action: RemoveAction) =>
    remove.mutate(action, {
      onSuccess: () => {
        toast.success(removeCopy[action].done);
        setConfirm(null);
        if (action === "delete") router.push("/finished-goods");
      },
      onError: (error) => {
        toast.error(error.message);
        setConfirm(null);
      },
    });

  return (
    <Card aria-labelledby="lifecycle-title">
      <CardTitle>
        <span id="lifecycle-title">Package status</span>
      </CardTitle>
      <p className="text-neutral-200">
        Status: <StatusBadge status={pkg.status} />
      </p>
      <p className="mt-2 text-sm text-neutral-300" data-testid="holds-rule">
        Archiving or orphaning needs every wholesale hold released first
        {holds > 0 ? ` — ${holds === 1 ? "1 hold is" : `${holds} holds are`} active on this package.` : " (none active now)."}
        {isAdmin ? " Deleting permanently also deletes its holds." : ""}
      </p>
      {canEdit ? (
        <div className="mt-3 flex flex-wrap gap-2">
          {available.map((action) => (
            <Button
              key={action}
              variant={action === "delete" ? "danger" : "secondary"}
              disabled={(action === "archive" || action === "orphan") && holds > 0}
              busy={remove.isPending && remove.variables === action}
              onClick={() => setConfirm(action)}
            >
              {removeCopy[action].label}
            </Button>
          ))}
        </div>
      ) : null}
      {confirm ? (
        <ConfirmDialog
          open
          onOpenChange={(next) => !next && setConfirm(null)}
          title={removeCopy[confirm].title}
          description={removeCopy[confirm].description}
          confirmLabel={removeCopy[confirm].label}
          busy={remove.isPending}
          onConfirm={() => run(confirm)}
        />
      ) : null}
    </Card>
  );
}
