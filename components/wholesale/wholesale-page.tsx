"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { ApiRequestError } from "@/lib/client/api";
import { useCan } from "@/lib/client/current-user";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { useCreateHold, useReleaseHold, useWholesaleHolds, useWholesaleInventory } from "@/lib/client/wholesale";
import type { WholesaleHold, WholesalePackage } from "@/lib/domain/wholesale/wholesale-response";
import { formatGrams, formatUnits, formatWhen, shortMetrc } from "@/components/finished-goods/fg-format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog, Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Stat } from "@/components/ui/stat";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";

interface HoldTarget {
  pkg: WholesalePackage;
  skuName: string;
  available: number;
}

/** `/wholesale`: units per SKU after holds, by strain then package; hold units for a customer, release holds. */
export function WholesalePage() {
  const inventory = useWholesaleInventory();
  const holds = useWholesaleHolds();
  const canEdit = useCan("operator");
  const filterId = useId();
  const [filter, setFilter] = useState("");
  const [target, setTarget] = useState<HoldTarget | null>(null);

  const strains = (inventory.data?.strains ?? []).filter((s) => s.strain.toLowerCase().includes(filter.trim().toLowerCase()));
  const heldUnits = (holds.data?.holds ?? []).reduce((sum, h) => sum + h.quantity, 0);
  const strainByMetrc = new Map((inventory.data?.strains ?? []).flatMap((s) => s.packages.map((p) => [p.metrc_number, p.strain] as const)));
  const strainOf = (metrc: string) => strainByMetrc.get(metrc) ?? null;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-bold">Wholesale</h1>
        <p className="text-neutral-300">Units each package can still sell per SKU, after orders, packing and holds.</p>
      </div>

      {inventory.data && holds.data ? (
        <dl className="grid grid-cols-3 gap-3 md:max-w-2xl">
          <Stat label="Strains" value={formatUnits(inventory.data.strains.length)} />
          <Stat label="Active holds" value={formatUnits(holds.data.holds.length)} />
          <Stat label="Units held" value={formatUnits(heldUnits)} />
        </dl>
      ) : (
        <Skeleton className="h-24 md:max-w-2xl" />
      )}

      <HoldsList holds={holds} canEdit={canEdit} strainOf={strainOf} />

      <section aria-labelledby="wholesale-stock-title" className="space-y-3">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <h2 id="wholesale-stock-title" className="text-xl font-bold">
            Available by strain
          </h2>
          <div className="flex w-full max-w-md flex-col gap-1">
            <label htmlFor={filterId} className="text-sm font-semibold text-neutral-200">
              Filter strains
            </label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              className="min-h-12 rounded-xl border border-neutral-600 bg-neutral-950 px-3 text-lg text-neutral-50"
            />
          </div>
        </div>
        {inventory.isPending ? (
          <Loading label="Loading wholesale inventory">
            <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
              {[0, 1, 2].map((i) => (
                <Skeleton key={i} className="h-72" />
              ))}
            </div>
          </Loading>
        ) : inventory.isError ? (
          <ErrorState title="Could not load wholesale inventory" error={inventory.error} onRetry={() => void inventory.refetch()} />
        ) : strains.length === 0 ? (
          <EmptyState title={filter ? "No strain matches" : "Nothing to sell wholesale"}>
            {filter ? (
              "Clear the filter to see every strain."
            ) : (
              <>
                Active packages appear here. Add one on{" "}
                <Link href="/finished-goods" className="text-green-300 underline">
                  Finished goods
                </Link>
                .
              </>
            )}
          </EmptyState>
        ) : (
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {strains.map((strain) => (
              <Card key={strain.strain} aria-label={strain.strain}>
                <h3 className="mb-1 text-lg font-bold text-green-300">{strain.strain}</h3>
                <p className="mb-3 text-sm text-neutral-300">{formatGrams(strain.total_available_grams)} available</p>
                <div className="space-y-4">
                  {strain.packages.map((pkg) => (
                    <PackageSkus key={pkg.metrc_number} pkg={pkg} canEdit={canEdit} onHold={setTarget} />
                  ))}
                </div>
              </Card>
            ))}
          </div>
        )}
      </section>
      {target ? <HoldDialog target={target} onClose={() => setTarget(null)} /> : null}
    </div>
  );
}

function PackageSkus({ pkg, canEdit, onHold }: { pkg: WholesalePackage; canEdit: boolean; onHold: (t: HoldTarget) => void }) {
  const skus = Object.entries(pkg.skus).filter(([, s]) => s.units > 0 || s.held > 0);
  return (
    <div className="rounded-xl border border-neutral-800 bg-neutral-950/50 p-3">
      <p className="mb-2 flex items-center justify-between gap-2 text-sm">
        <Link href={`/finished-goods/${encodeURIComponent(pkg.metrc_number)}`} className="font-mono text-neutral-200 hover:underline">
          <span className="sr-only">Package ending </span>
          {shortMetrc(pkg.metrc_number)}
        </Link>
        <span className="text-neutral-300">{formatGrams(pkg.available_grams)} free</span>
      </p>
      {skus.length === 0 ? (
        <p className="text-sm text-neutral-300">Nothing left to hold.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">SKUs of package {pkg.metrc_number}</caption>
          <thead className="text-neutral-300">
            <tr>
              <th scope="col" className="pb-1">
                SKU
              </th>
              <th scope="col" className="pb-1 pl-2 text-right">
                Available
              </th>
              <th scope="col" className="pb-1 pl-3 text-right">
                Held
              </th>
              {canEdit ? (
                <th scope="col" className="pb-1">
                  <span className="sr-only">Hold</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody className="divide-y divide-neutral-800">
            {skus.map(([name, sku]) => (
              <tr key={name}>
                <th scope="row" className="py-1 font-semibold">
                  {name}
                </th>
                <td className="py-1 pl-2 text-right text-lg font-bold tabular-nums text-green-300">{formatUnits(sku.available)}</td>
                <td className="py-1 pl-3 text-right tabular-nums text-neutral-200">{formatUnits(sku.held)}</td>
                {canEdit ? (
                  <td className="py-1 pl-2 text-right">
                    <Button
                      className="min-h-12 px-3 text-sm"
                      aria-label={`Hold ${name} of ${pkg.strain} ${pkg.metrc_number}`}
                      onClick={() => onHold({ pkg, skuName: name, available: sku.available })}
                    >
                      Hold
                    </Button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

type HoldValues = { quantity: string; notes: string };
type HoldOutput = { quantity: number; notes: string | null };
const holdResolver = lazyZodResolver<HoldValues, HoldOutput>(() =>
  import("@/components/finished-goods/fg-form-schemas").then((m) => m.holdSchema as never),
);

/** `Hold`: units of one SKU of one package for a customer; the server's "Only N units available" lands under Quantity. */
function HoldDialog({ target, onClose }: { target: HoldTarget; onClose: () => void }) {
  const create = useCreateHold();
  const form = useForm<HoldValues, unknown, HoldOutput>({ resolver: holdResolver, defaultValues: { quantity: "", notes: "" } });
  holdResolver.preload();
  const submit = form.handleSubmit((values) =>
    create
      .mutateAsync({ metrc_number: target.pkg.metrc_number, sku_name: target.skuName, quantity: values.quantity, notes: values.notes })
      .then(
        (res) => {
          toast.success(`${res.message} · hold ${res.hold_id}`);
          onClose();
        },
        (error: Error) => {
          if (applyServerFieldErrors(error, form.setError, ["quantity", "notes"])) return;
          if (error instanceof ApiRequestError && error.status === 400)
            form.setError("quantity", { type: "server", message: error.message });
          else toast.error(error.message);
        },
      ),
  );
  return (
    <Dialog
      open
      onOpenChange={(next) => !next && onClose()}
      title={`Hold ${target.skuName}`}
      description={`${target.pkg.strain} · ${target.pkg.metrc_number} · ${formatUnits(target.available)} units available`}
    >
      <form onSubmit={submit} noValidate className="space-y-4">
        <Field
          label="Quantity (units)"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          error={form.formState.errors.quantity?.message}
          {...form.register("quantity")}
        />
        <Field
          label="Notes"
          autoComplete="off"
          hint="Customer, order number …"
          error={form.formState.errors.notes?.message}
          {...form.register("notes")}
        />
        <div className="flex justify-end gap-3">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" busy={create.isPending}>
            Hold
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function HoldsList({
  holds,
  canEdit,
  strainOf,
}: {
  holds: ReturnType<typeof useWholesaleHolds>;
  canEdit: boolean;
  /** The package's strain, when the inventory lists it. */
  strainOf: (metrc: string) => string | null;
}) {
  const release = useReleaseHold();
  const [confirm, setConfirm] = useState<WholesaleHold | null>(null);
  return (
    <section aria-labelledby="holds-title" className="space-y-3">
      <h2 id="holds-title" className="text-xl font-bold">
        Active holds
      </h2>
      {holds.isPending ? (
        <Loading label="Loading holds">
          <Skeleton className="h-20" />
        </Loading>
      ) : holds.isError ? (
        <ErrorState title="Could not load the holds" error={holds.error} onRetry={() => void holds.refetch()} />
      ) : holds.data.holds.length === 0 ? (
        <EmptyState title="No units held">Use Hold next to a SKU below to reserve units for a customer.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-neutral-800 bg-neutral-900">
          <table className="w-full text-left">
            <caption className="sr-only">Active wholesale holds, newest first</caption>
            <thead className="text-sm text-neutral-300">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Hold
                </th>
                <th scope="col" className="px-3 py-2">
                  Package
                </th>
                <th scope="col" className="px-3 py-2">
                  SKU
                </th>
                <th scope="col" className="px-3 py-2 text-right">
                  Units
                </th>
                <th scope="col" className="px-3 py-2">
                  Notes
                </th>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                {canEdit ? (
                  <th scope="col" className="px-3 py-2">
                    <span className="sr-only">Release</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-800">
              {holds.data.holds.map((h) => (
                <tr key={h.id} data-testid="hold-row">
                  <td className="px-3 py-2 font-mono text-sm">{h.id}</td>
                  <td className="px-3 py-2">
                    {strainOf(h.metrc_number) ? <span className="block font-semibold">{strainOf(h.metrc_number)}</span> : null}
                    <Link href={`/finished-goods/${encodeURIComponent(h.metrc_number)}`} className="font-mono text-sm hover:underline">
                      {h.metrc_number}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{h.sku_name}</td>
                  <td className="px-3 py-2 text-right font-bold tabular-nums">{formatUnits(h.quantity)}</td>
                  <td className="px-3 py-2 text-neutral-200">{h.notes ?? "—"}</td>
                  <td className="px-3 py-2 text-sm text-neutral-300">
                    {formatWhen(h.created_date)}
                    {h.created_by ? ` · ${h.created_by}` : ""}
                  </td>
                  {canEdit ? (
                    <td className="px-3 py-2 text-right">
                      <Button
                        className="min-h-12 px-3 text-sm"
                        aria-label={`Release hold ${h.id}: ${h.quantity} × ${h.sku_name}`}
                        busy={release.isPending && release.variables === h.id}
                        onClick={() => setConfirm(h)}
                      >
                        Release
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirm ? (
        <ConfirmDialog
          open
          onOpenChange={(next) => !next && setConfirm(null)}
          title="Release this hold?"
          description={`${confirm.quantity} × ${confirm.sku_name} of ${confirm.metrc_number} go back to available.`}
          confirmLabel="Release hold"
          busy={release.isPending}
          onConfirm={() =>
            release.mutate(confirm.id, {
              onSuccess: (res) => {
                toast.success(res.message);
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
