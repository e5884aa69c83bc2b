"use client";

import { useState } from "react";
import { Pencil, Plus } from "lucide-react";
import { toast } from "@/components/ui/toast";
import { usePaperInventory } from "@/lib/client/inventory";
import { useCreateSupply, useSaveBom, useSavePaperSettings, useSupplies, useUpdateSupply, type NewSupply } from "@/lib/client/supplies";
import { serverFieldMessages } from "@/lib/client/form-errors";
import { formatDateTime, sizeLabel } from "@/lib/client/format";
import { sizes, type Size } from "@/lib/domain/batches/constants";
import { bomTargetLabels, bomTargets, type BomTarget, type BomUse } from "@/lib/domain/supplies/bom-schema";
import type { InventoryResponse, Supply } from "@/lib/domain/supplies/inventory-response";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";

/**
 * The admin part of `/inventory` (loaded with next/dynamic only for admins, so the floor page's
 * JavaScript does not grow): paper thresholds and papers per box, other supplies (tips,
 * packaging …) with their counts and bill of materials. The papers section is also on /settings.
 */
export default function InventoryAdmin() {
  return (
    <div className="mt-8 space-y-8 border-t border-neutral-800 pt-6">
      <PaperSettingsSection />
      <OtherSupplies />
    </div>
  );
}

/** Whole number from a text field, or an error message. */
function wholeNumber(text: string, { min = 0, max = 10_000_000 } = {}): number | string {
  const n = Number(text.trim());
  if (text.trim() === "" || !Number.isInteger(n)) return "Enter a whole number";
  if (n < min) return `Must be at least ${min}`;
  if (n > max) return `Must be at most ${max.toLocaleString("en-US")}`;
  return n;
}

type PaperForm = Record<`threshold_${Size}` | `per_box_${Size}`, string>;

const paperFormOf = (data: InventoryResponse): PaperForm =>
  Object.fromEntries(
    sizes.flatMap((s) => [
      [`threshold_${s}`, String(data.inventory.alert_thresholds[s])],
      [`per_box_${s}`, String(data.inventory.papers_per_box[s])],
    ]),
  ) as PaperForm;

/** Low-stock thresholds (boxes) and papers per box of each size, saved together. */
export function PaperSettingsSection() {
  const inventory = usePaperInventory();
  return (
    <section aria-labelledby="paper-settings-title" className="space-y-3">
      <div>
        <h2 id="paper-settings-title" className="text-xl font-bold">
          Paper and cone settings
        </h2>
        <p className="text-neutral-300">A size shows as low stock (board banner, alerts) when its boxes fall below the threshold.</p>
      </div>
      {inventory.isPending ? (
        <Loading label="Loading paper settings">
          <Skeleton className="h-40" />
        </Loading>
      ) : inventory.isError ? (
        <ErrorState title="Could not load the paper settings" error={inventory.error} onRetry={() => void inventory.refetch()} />
      ) : (
        // A change saved anywhere starts the form afresh.
        <PaperSettingsForm key={JSON.stringify(paperFormOf(inventory.data))} data={inventory.data} />
      )}
    </section>
  );
}

function PaperSettingsForm({ data }: { data: InventoryResponse }) {
  const save = useSavePaperSettings();
  const [form, setForm] = useState<PaperForm>(() => paperFormOf(data));
  const [errors, setErrors] = useState<Partial<Record<keyof PaperForm, string>>>({});

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    const thresholds: Partial<Record<Size, number>> = {};
    const perBox: Partial<Record<Size, number>> = {};
    for (const s of sizes) {
      const t = wholeNumber(form[`threshold_${s}`], { max: 10_000 });
      const p = wholeNumber(form[`per_box_${s}`], { min: 1, max: 1_000_000 });
      if (typeof t === "string") next[`threshold_${s}`] = t;
      else if (t !== data.inventory.alert_thresholds[s]) thresholds[s] = t;
      if (typeof p === "string") next[`per_box_${s}`] = p;
      else if (p !== data.inventory.papers_per_box[s]) perBox[s] = p;
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    if (!Object.keys(thresholds).length && !Object.keys(perBox).length) {
      toast.info("Nothing changed");
      return;
    }
    // mutateAsync, not mutate(…, callbacks): the save refreshes the inventory, which remounts
    // this form, and per-call callbacks of an unmounted component never run.
    save.mutateAsync({ thresholds, papers_per_box: perBox }).then(
      (res) => toast.success(res.message),
      (error: Error) => {
        const names = Object.fromEntries(
          sizes.flatMap((s) => [
            [`threshold_${s}`, `thresholds.${s}`],
            [`per_box_${s}`, `papers_per_box.${s}`],
          ]),
        );
        const messages = serverFieldMessages(error, names as Record<keyof PaperForm, string>);
        setErrors(messages);
        if (!Object.keys(messages).length) toast.error(error.message);
      },
    );
  };

  return (
    <Card aria-label="Paper and cone settings form">
      <form onSubmit={submit} noValidate className="space-y-4">
        <div className="grid gap-4 md:grid-cols-3">
          {sizes.map((s) => (
            <fieldset key={s} className="space-y-3 rounded-xl border border-neutral-800 p-3">
              <legend className="px-1 font-semibold">{sizeLabel(s)} papers</legend>
              <Field
                label={`${sizeLabel(s)} low-stock threshold (boxes)`}
                inputMode="numeric"
                value={form[`threshold_${s}`]}
                onChange={(e) => setForm((f) => ({ ...f, [`threshold_${s}`]: e.target.value }))}
                error={errors[`threshold_${s}`]}
                hint={`Now ${data.inventory.current_boxes[s]} boxes on the shelf`}
              />
              <Field
                label={`${sizeLabel(s)} papers per box`}
                inputMode="numeric"
                value={form[`per_box_${s}`]}
                onChange={(e) => setForm((f) => ({ ...f, [`per_box_${s}`]: e.target.value }))}
                error={errors[`per_box_${s}`]}
              />
            </fieldset>
          ))}
        </div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save paper settings
        </Button>
      </form>
    </Card>
  );
}

const targetLabel = (t: string) => bomTargetLabels[t as BomTarget] ?? t;

/** Tips, packaging and any other supply: stock, threshold, box size and per-unit use. */
function OtherSupplies() {
  const supplies = useSupplies();
  const [adding, setAdding] = useState(false);
  const others = supplies.data?.supplies.filter((s) => s.kind !== "paper") ?? [];
  return (
    <section aria-labelledby="other-supplies-title" className="space-y-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="other-supplies-title" className="text-xl font-bold">
            Other supplies
          </h2>
          <p className="text-neutral-300">
            Tips, tubes, packaging … The bill of materials says how many one pre-roll or pack uses; counts deduct the per-pre-roll lines.
          </p>
        </div>
        <Button variant="primary" onClick={() => setAdding(true)}>
          <Plus aria-hidden className="size-5" /> Add supply
        </Button>
      </div>
      {supplies.isPending ? (
        <Loading label="Loading supplies">
          <Skeleton className="h-32" />
        </Loading>
      ) : supplies.isError ? (
        <ErrorState title="Could not load the supplies" error={supplies.error} onRetry={() => void supplies.refetch()} />
      ) : others.length === 0 ? (
        <EmptyState title="No other supplies yet">Add tips, tubes or packaging with “Add supply” to track their stock and use.</EmptyState>
      ) : (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          {others.map((s) => (
            <SupplyCard key={s.id} supply={s} />
          ))}
        </div>
      )}
      <Dialog open={adding} onOpenChange={setAdding} title="Add supply" description="A new kind of supply with its current shelf count.">
        {adding ? <SupplyForm onDone={() => setAdding(false)} /> : null}
      </Dialog>
    </section>
  );
}

function SupplyCard({ supply }: { supply: Supply }) {
  const [editing, setEditing] = useState(false);
  const titleId = `supply-${supply.id}-title`;
  return (
    <Card aria-labelledby={titleId} data-testid="supply-card">
      <div className="mb-3 flex items-start justify-between gap-2">
        <div>
          <h3 id={titleId} className="text-lg font-bold">
            {supply.name}
          </h3>
          <p className="text-sm text-neutral-300">
            {supply.kind}
            {supply.size ? ` · ${supply.size}` : ""}
          </p>
        </div>
        {supply.low_stock ? (
          <Badge tone={supply.level === "critical" ? "red" : "orange"}>Low stock</Badge>
        ) : (
          <Badge tone="green">In stock</Badge>
        )}
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        <dt className="text-neutral-300">On hand</dt>
        <dd className="tabular-nums">
          {supply.total_units.toLocaleString("en-US")} {supply.unit}
        </dd>
        <dt className="text-neutral-300">Boxes + loose</dt>
        <dd className="tabular-nums">
          {supply.boxes} × {supply.units_per_box.toLocaleString("en-US")} + {supply.individual_units.toLocaleString("en-US")}
        </dd>
        <dt className="text-neutral-300">Low below</dt>
        <dd className="tabular-nums">{supply.low_threshold_boxes} boxes</dd>
        <dt className="text-neutral-300">Days remaining</dt>
        <dd className="tabular-nums">{supply.predicted_days_remaining === null ? "—" : Math.round(supply.predicted_days_remaining)}</dd>
        <dt className="text-neutral-300">Used</dt>
        <dd>{supply.bom.length ? supply.bom.map((u) => `${u.quantity} ${targetLabel(u.applies_to)}`).join(", ") : "not by counts"}</dd>
        <dt className="text-neutral-300">Counted</dt>
        <dd>{formatDateTime(supply.last_updated)}</dd>
      </dl>
      <Button className="mt-3" onClick={() => setEditing(true)}>
        <Pencil aria-hidden className="size-4" /> Edit {supply.name}
      </Button>
      <Dialog
        open={editing}
        onOpenChange={setEditing}
        title={`Edit ${supply.name}`}
        description="Shelf count, low-stock threshold, box size and use per pre-roll."
      >
        {editing ? <SupplyForm supply={supply} onDone={() => setEditing(false)} /> : null}
      </Dialog>
    </Card>
  );
}

type SupplyFormValues = {
  kind: string;
  name: string;
  unit: string;
  units_per_box: string;
  low_threshold_boxes: string;
  boxes: string;
  individual_units: string;
} & Record<BomTarget, string>;

const shortTarget = (t: BomTarget) => bomTargetLabels[t].replace(/^per /, "Per ");

/** Create (no `supply`) or edit a supply, and set its bill of materials. */
function SupplyForm({ supply, onDone }: { supply?: Supply; onDone: () => void }) {
  const create = useCreateSupply();
  const update = useUpdateSupply();
  const saveBom = useSaveBom();
  const bomOf = (t: BomTarget) => String(supply?.bom.find((u) => u.applies_to === t)?.quantity ?? "");
  const [form, setForm] = useState<SupplyFormValues>({
    kind: supply?.kind ?? "tip",
    name: supply?.name ?? "",
    unit: supply?.unit ?? "units",
    units_per_box: String(supply?.units_per_box ?? 100),
    low_threshold_boxes: String(supply?.low_threshold_boxes ?? 2),
    boxes: String(supply?.boxes ?? 0),
    individual_units: String(supply?.individual_units ?? 0),
    ...(Object.fromEntries(bomTargets.map((t) => [t, bomOf(t)])) as Record<BomTarget, string>),
  });
  const [errors, setErrors] = useState<Partial<Record<keyof SupplyFormValues, string>>>({});
  const busy = create.isPending || update.isPending || saveBom.isPending;
  const text = (key: keyof SupplyFormValues) => ({
    value: form[key],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value })),
    error: errors[key],
  });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(form.kind.trim().toLowerCase()))
      next.kind = "Lower-case letters, digits and _ (e.g. tip, tube, box_6)";
    if (!form.name.trim()) next.name = "Give it a name";
    if (!form.unit.trim()) next.unit = "e.g. tips, bags";
    const numbers: Record<string, number> = {};
    for (const [key, opts] of [
      ["units_per_box", { min: 1, max: 1_000_000 }],
      ["low_threshold_boxes", { max: 10_000 }],
      ["boxes", { max: 1_000_000 }],
      ["individual_units", { max: 10_000_000 }],
    ] as const) {
      const n = wholeNumber(form[key], opts);
      if (typeof n === "string") next[key] = n;
      else numbers[key] = n;
    }
    const uses: BomUse[] = [];
    for (const t of bomTargets) {
      const raw = form[t].trim();
      if (!raw) continue;
      const q = Number(raw);
      if (!Number.isFinite(q) || q <= 0 || q > 100) next[t] = "A number above 0 and at most 100, or empty for none";
      else uses.push({ applies_to: t, quantity: q });
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    const body: NewSupply = {
      kind: form.kind.trim().toLowerCase(),
      name: form.name.trim(),
      unit: form.unit.trim(),
      units_per_box: numbers.units_per_box,
      low_threshold_boxes: numbers.low_threshold_boxes,
      boxes: numbers.boxes,
      individual_units: numbers.individual_units,
    };
    try {
      const { kind: _kind, ...patch } = body;
      const saved = supply ? await update.mutateAsync({ id: supply.id, patch }) : await create.mutateAsync(body);
      const key = (list: { applies_to: string; quantity: number }[]) =>
        JSON.stringify([...list].sort((a, b) => a.applies_to.localeCompare(b.applies_to)));
      const bomChanged = key(uses) !== key(supply?.bom ?? []);
      if (bomChanged) await saveBom.mutateAsync({ id: saved.supply.id, uses });
      toast.success(supply ? `${body.name} saved` : `${body.name} added`);
      onDone();
    } catch (error) {
      // Bill-of-materials messages name list positions, not sizes: those go to the toast.
      const names = Object.fromEntries(
        (["kind", "name", "unit", "units_per_box", "low_threshold_boxes", "boxes", "individual_units"] as const).map((k) => [k, k]),
      ) as Record<keyof SupplyFormValues, string>;
      const messages = serverFieldMessages(error, names);
      setErrors(messages);
      if (!Object.keys(messages).length) toast.error(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="max-h-[70vh] space-y-4 overflow-y-auto pr-1">
      <div className="grid grid-cols-2 gap-3">
        <Field label="Name" {...text("name")} />
        <Field label="Kind" disabled={Boolean(supply)} hint={supply ? undefined : "tip, tube, box_6 …"} {...text("kind")} />
        <Field label="Unit" hint="what one item is called" {...text("unit")} />
        <Field label="Units per box" inputMode="numeric" {...text("units_per_box")} />
        <Field label="Low-stock threshold (boxes)" inputMode="numeric" {...text("low_threshold_boxes")} />
        <Field label="Boxes on the shelf" inputMode="numeric" {...text("boxes")} />
        <Field label="Loose units" inputMode="numeric" {...text("individual_units")} />
      </div>
      <fieldset className="space-y-3 rounded-xl border border-neutral-800 p-3">
        <legend className="px-1 font-semibold">Bill of materials</legend>
        <p className="text-sm text-neutral-300">
          How many one pre-roll or one pack uses; leave empty where it uses none. Counts deduct the per-pre-roll lines.
        </p>
        <div className="grid grid-cols-3 gap-3">
          {bomTargets.map((t) => (
            <Field key={t} label={shortTarget(t)} inputMode="decimal" {...text(t)} />
          ))}
        </div>
      </fieldset>
      <div className="flex justify-end gap-3">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {supply ? "Save supply" : "Add supply"}
        </Button>
      </div>
    </form>
  );
}
