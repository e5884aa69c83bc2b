"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { Trash2 } from "lucide-react";
import { useCan } from "@/lib/client/current-user";
import { usePackageActions } from "@/lib/client/finished-goods";
import { applyServerFieldErrors } from "@/lib/client/form-errors";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import type { FinishedGood } from "@/lib/domain/finished-goods/finished-good-response";
import { skuAliasForm } from "@/lib/domain/finished-goods/sku-engine";
import { formatGrams, formatUnits } from "@/components/finished-goods/fg-format";
import { packageFigures } from "@/components/finished-goods/package-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { IconButton } from "@/components/ui/icon-button";
import { toast } from "@/components/ui/toast";

/**
 * Apex: auto inventory on/off, per-SKU settings (exclude from the listing, manual units instead of
 * the calculated figure) and the package's custom SKUs. Figures are the server's formulas
 * (sku-engine): every SKU draws on the same grams, so each is an alternative, not a share.
 */
export function ApexPanel({ pkg }: { pkg: FinishedGood }) {
  const canEdit = useCan("operator");
  const { apexAuto } = usePackageActions(pkg.metrc_number);
  const on = pkg.apex_auto_inventory === 1;
  const { calc } = packageFigures(pkg);

  const toggle = () =>
    apexAuto.mutate(
      { enabled: !on },
      { onSuccess: () => toast.success(on ? "Apex auto inventory off" : "Apex auto inventory on"), onError: (e) => toast.error(e.message) },
    );

  return (
    <Card aria-labelledby="apex-title">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <CardTitle className="mb-0">
          <span id="apex-title">Apex inventory</span>
        </CardTitle>
        {canEdit ? (
          <Button variant={on ? "primary" : "secondary"} aria-pressed={on} busy={apexAuto.isPending} onClick={toggle}>
            Apex auto inventory: {on ? "on" : "off"}
          </Button>
        ) : (
          <Badge tone={on ? "green" : "neutral"}>{on ? "Apex on" : "Apex off"}</Badge>
        )}
      </div>
      <p className="mb-3 text-sm text-neutral-300">
        {formatGrams(calc.available_grams)} available for listing. Each SKU&apos;s units are what those grams make sold as that SKU alone;
        excluded SKUs list 0, manual units replace the calculation (less units held for wholesale).
      </p>
      {/* A change from anywhere (or a save here) starts the table afresh. */}
      <SkuSettingsTable key={pkg.updated_date} pkg={pkg} canEdit={canEdit} />
      <CustomSkus pkg={pkg} canEdit={canEdit} />
    </Card>
  );
}

type Draft = Record<string, { excluded: boolean; manual: string }>;

function SkuSettingsTable({ pkg, canEdit }: { pkg: FinishedGood; canEdit: boolean }) {
  const { apexSettings } = usePackageActions(pkg.metrc_number);
  const { calc } = packageFigures(pkg);
  const skus = calc.skus;
  const [draft, setDraft] = useState<Draft>(() =>
    Object.fromEntries(
      skus.map((s) => {
        const entry = calc.calculated_units[s.key];
        return [s.key, { excluded: entry.excluded, manual: entry.manual_units === null ? "" : String(entry.manual_units) }];
      }),
    ),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});

  const save = () => {
    const nextErrors: Record<string, string> = {};
    const settings: Record<string, { excluded: boolean; manual_units: number | null }> = {};
    for (const s of skus) {
      const d = draft[s.key];
      const manual = d.manual.trim();
      const n = Number(manual);
      if (manual !== "" && (!Number.isInteger(n) || n < 0)) nextErrors[s.key] = "Whole units, 0 or more";
      settings[s.key] = { excluded: d.excluded, manual_units: manual === "" ? null : n };
    }
    setErrors(nextErrors);
    if (Object.keys(nextErrors).length) return;
    apexSettings.mutate(
      { settings },
      { onSuccess: () => toast.success("Apex SKU settings saved"), onError: (e) => toast.error(e.message) },
    );
  };

  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left">
        <caption className="sr-only">Apex units per SKU</caption>
        <thead className="text-sm text-neutral-300">
          <tr>
            <th scope="col" className="py-2 pr-3">
              SKU
            </th>
            <th scope="col" className="py-2 pr-3 text-right">
              Grams per unit
            </th>
            <th scope="col" className="py-2 pr-3 text-right">
              Held
            </th>
            <th scope="col" className="py-2 pr-3 text-right">
              Units listed
            </th>
            <th scope="col" className="py-2 pr-3">
              Exclude
            </th>
            <th scope="col" className="py-2">
              Manual units
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800">
          {skus.map((s) => {
            const entry = calc.calculated_units[s.key];
            const d = draft[s.key];
            return (
              <tr key={s.key}>
                <th scope="row" className="py-2 pr-3 font-semibold">
                  {s.name}
                  {s.source === "custom" ? <span className="ml-2 text-sm font-normal text-neutral-300">custom</span> : null}
                </th>
                <td className="py-2 pr-3 text-right tabular-nums">{formatGrams(s.grams_per_unit)}</td>
                <td className="py-2 pr-3 text-right tabular-nums">{formatUnits(entry.held_units)}</td>
                <td className="py-2 pr-3 text-right text-lg font-bold tabular-nums">{formatUnits(entry.units)}</td>
                <td className="py-2 pr-3">
                  <input
                    type="checkbox"
                    className="size-6"
                    aria-label={`Exclude ${s.name}`}
                    disabled={!canEdit}
                    checked={d.excluded}
                    onChange={(e) => setDraft((prev) => ({ ...prev, [s.key]: { ...prev[s.key], excluded: e.target.checked } }))}
                  />
                </td>
                <td className="py-2">
                  <Field
                    label={`Manual units for ${s.name}`}
                    className="[&>label]:sr-only"
                    inputClassName="max-w-32"
                    inputMode="numeric"
                    placeholder="auto"
                    disabled={!canEdit}
                    value={d.manual}
                    error={errors[s.key]}
                    onChange={(e) => setDraft((prev) => ({ ...prev, [s.key]: { ...prev[s.key], manual: e.target.value } }))}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {canEdit ? (
        <Button className="mt-3" variant="primary" busy={apexSettings.isPending} onClick={save}>
          Save SKU settings
        </Button>
      ) : null}
    </div>
  );
}

type CustomSkuValues = { name: string; grams_per_unit: string; pack_size: string };
type CustomSkuOutput = { name: string; grams_per_unit: number; pack_size: number };
const customSkuResolver = lazyZodResolver<CustomSkuValues, CustomSkuOutput>(() =>
  import("@/components/finished-goods/fg-form-schemas").then((m) => m.customSkuSchema as never),
);

/** The package's own SKUs beyond the four defaults (a CannaDart 0.8 g, a Cocoa Blunt 1 g …). */
function CustomSkus({ pkg, canEdit }: { pkg: FinishedGood; canEdit: boolean }) {
  const { customSku, deleteCustomSku } = usePackageActions(pkg.metrc_number);
  const form = useForm<CustomSkuValues, unknown, CustomSkuOutput>({
    resolver: customSkuResolver,
    defaultValues: { name: "", grams_per_unit: "", pack_size: "1" },
  });
  const custom = Object.entries(pkg.custom_skus ?? {});

  const submit = form.handleSubmit((values) =>
    customSku
      .mutateAsync({
        // The stored key: the name in the API's snake form ("Cocoa Blunt 1g" → cocoa_blunt_1g).
        sku_key: skuAliasForm(values.name),
        sku_def: { name: values.name, grams_per_unit: values.grams_per_unit, pack_size: values.pack_size },
      })
      .then(
        () => {
          toast.success(`Custom SKU ${values.name} saved`);
          form.reset();
        },
        (error: Error) => {
          if (!applyServerFieldErrors(error, form.setError, ["grams_per_unit", "pack_size"])) toast.error(error.message);
        },
      ),
  );

  return (
    <section aria-labelledby="custom-skus-title" className="mt-5 border-t border-neutral-800 pt-4">
      <h3 id="custom-skus-title" className="mb-2 font-bold">
        Custom SKUs
      </h3>
      {custom.length === 0 ? (
        <p className="text-sm text-neutral-300">Only the four default SKUs.</p>
      ) : (
        <ul className="mb-3 flex flex-wrap gap-2">
          {custom.map(([key, sku]) => (
            <li key={key} className="flex items-center gap-2 rounded-xl bg-neutral-800 pl-3">
              <span>
                {sku.name} · {formatGrams(sku.grams_per_unit)}
                {sku.pack_size > 1 ? ` · ${sku.pack_size}-pack` : ""}
              </span>
              {canEdit ? (
                <IconButton
                  icon={Trash2}
                  label={`Remove custom SKU ${sku.name}`}
                  disabled={deleteCustomSku.isPending}
                  onClick={() =>
                    deleteCustomSku.mutate(key, {
                      onSuccess: () => toast.success(`Custom SKU ${sku.name} removed`),
                      onError: (e) => toast.error(e.message),
                    })
                  }
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canEdit ? (
        <form
          onSubmit={submit}
          noValidate
          className="grid items-start gap-3 sm:grid-cols-[2fr_1fr_1fr_auto]"
          onFocus={() => customSkuResolver.preload()}
        >
          <Field label="SKU name" autoComplete="off" error={form.formState.errors.name?.message} {...form.register("name")} />
          <Field
            label="Grams per unit"
            inputMode="decimal"
            autoComplete="off"
            hint="a whole pack counts as one unit"
            error={form.formState.errors.grams_per_unit?.message}
            {...form.register("grams_per_unit")}
          />
          <Field
            label="Pack size"
            inputMode="numeric"
            autoComplete="off"
            error={form.formState.errors.pack_size?.message}
            {...form.register("pack_size")}
          />
          <Button type="submit" className="sm:mt-7" busy={customSku.isPending}>
            Add custom SKU
          </Button>
        </form>
      ) : null}
    </section>
  );
}
