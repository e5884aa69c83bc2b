"use client";

import Link from "next/link";
import { useState } from "react";
import type { FinishedGood } from "@/lib/domain/finished-goods/finished-good-response";
import { calculatePackage } from "@/lib/domain/finished-goods/sku-engine";
import { PackageActions } from "@/components/finished-goods/package-actions";
import { formatGrams, formatUnits, shortMetrc } from "@/components/finished-goods/fg-format";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import { cx } from "@/components/ui/cx";

const statusTone = { active: "green", depleted: "red", archived: "neutral", orphaned: "purple" } as const;

export function StatusBadge({ status }: { status: FinishedGood["status"] }) {
  return <Badge tone={statusTone[status]}>{status.charAt(0).toUpperCase() + status.slice(1)}</Badge>;
}

/** The package's figures as every view shows them (sku-engine: the server's own formulas). */
export function packageFigures(pkg: FinishedGood) {
  const calc = calculatePackage(pkg, pkg.wholesale_holds, { sellable: pkg.status !== "archived" && pkg.status !== "orphaned" });
  const used = Math.max(0, pkg.initial_grams - pkg.current_grams);
  return {
    calc,
    used,
    usedPercent: pkg.initial_grams > 0 ? Math.min(100, (used / pkg.initial_grams) * 100) : 0,
    awaitingPacking: Math.max(0, pkg.grams_ordered - pkg.grams_packed),
    heldUnits: pkg.wholesale_holds.reduce((sum, h) => sum + h.quantity, 0),
    /** Grams left once orders, packing and holds are taken out ("g after orders"). */
    afterOrders: calc.available_grams,
  };
}

/** A METRC tag shown by its last five characters; a tap shows (and hides) the whole tag. */
export function MetrcTag({ metrc }: { metrc: string }) {
  const [full, setFull] = useState(false);
  return (
    <button
      type="button"
      onClick={() => setFull((v) => !v)}
      aria-expanded={full}
      aria-label={full ? `METRC ${metrc}, tap to shorten` : `METRC ending ${metrc.slice(-5)}, tap to show the whole tag`}
      className="min-h-12 rounded-lg border border-neutral-700 bg-neutral-950 px-2 font-mono text-sm text-neutral-200 hover:border-neutral-500 focus-visible:outline-3 focus-visible:outline-sky-400"
    >
      {full ? metrc : shortMetrc(metrc)}
    </button>
  );
}

function Row({ label, value, tone }: { label: string; value: string; tone?: "orange" | "green" | "blue" }) {
  return (
    <div
      className={cx(
        "flex items-center justify-between rounded-lg border-l-4 bg-neutral-800/70 px-3 py-1.5 text-sm",
        tone === "orange"
          ? "border-orange-400"
          : tone === "green"
            ? "border-green-400"
            : tone === "blue"
              ? "border-sky-400"
              : "border-neutral-600",
      )}
    >
      <dt className="text-neutral-200">{label}</dt>
      <dd className="font-semibold tabular-nums text-neutral-50">{value}</dd>
    </div>
  );
}

/** One package on /finished-goods: figures, Apex units and the quick actions. */
export function PackageCard({ pkg }: { pkg: FinishedGood }) {
  const f = packageFigures(pkg);
  const titleId = `pkg-${pkg.metrc_number}`;
  const apexSkus = Object.entries(f.calc.calculated_units).filter(([, s]) => !s.excluded && (s.units > 0 || s.source === "custom"));
  return (
    <article
      aria-labelledby={titleId}
      data-testid="package-card"
      className={cx(
        "flex flex-col gap-3 rounded-2xl border bg-neutral-900 p-4",
        pkg.has_physical_override ? "border-orange-500" : "border-neutral-800",
      )}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h2 id={titleId} className="text-lg font-bold text-green-300">
          <Link href={`/finished-goods/${encodeURIComponent(pkg.metrc_number)}`} className="hover:underline">
            {pkg.strain}
          </Link>
        </h2>
        <div className="flex items-center gap-2">
          <MetrcTag metrc={pkg.metrc_number} />
          <StatusBadge status={pkg.status} />
        </div>
      </div>

      <div>
        <p className="text-lg font-semibold tabular-nums">
          {formatGrams(pkg.current_grams)} <span className="text-neutral-300">/ {formatGrams(pkg.initial_grams)}</span>
        </p>
        <ProgressBar value={f.used} max={pkg.initial_grams} label={`${pkg.strain}: share of the package used`} className="mt-1 h-2" />
        <p className="mt-1 flex justify-between text-sm text-neutral-300">
          <span>{f.usedPercent.toFixed(1)}% used</span>
          <span>{(100 - f.usedPercent).toFixed(1)}% remaining</span>
        </p>
        {pkg.has_physical_override ? (
          <p className="mt-1">
            <Badge tone="orange">Override: {formatGrams(pkg.effective_grams)} on the shelf</Badge>
          </p>
        ) : null}
      </div>

      <dl className="space-y-1">
        <Row label="Reserved (orders)" value={formatGrams(pkg.grams_ordered)} tone={pkg.grams_ordered > 0 ? "orange" : undefined} />
        <Row label="Packed" value={formatGrams(pkg.grams_packed)} tone="green" />
        <Row label="Awaiting packing" value={formatGrams(f.awaitingPacking)} tone={f.awaitingPacking > 0 ? "orange" : undefined} />
        <Row
          label="Wholesale held"
          value={f.heldUnits > 0 ? `${formatUnits(f.heldUnits)} units · ${formatGrams(f.calc.held_grams)}` : "0 g"}
          tone={f.heldUnits > 0 ? "blue" : undefined}
        />
      </dl>
      <p>
        {f.afterOrders <= 0 && pkg.grams_ordered > 0 ? (
          <Badge tone="red">Fully committed</Badge>
        ) : (
          <Badge tone="green">{formatGrams(f.afterOrders)} after orders</Badge>
        )}
      </p>

      <section aria-label={`Apex units of ${pkg.strain}`} className="rounded-xl border border-neutral-800 bg-neutral-950/60 p-3">
        <p className="mb-2 flex items-center justify-between text-sm font-bold uppercase tracking-wide text-neutral-300">
          Apex inventory
          <Badge tone={pkg.apex_auto_inventory ? "green" : "neutral"}>{pkg.apex_auto_inventory ? "Apex on" : "Apex off"}</Badge>
        </p>
        {apexSkus.length === 0 ? (
          <p className="text-sm text-neutral-300">No units to list.</p>
        ) : (
          <dl className="grid grid-cols-2 gap-2">
            {apexSkus.map(([key, sku]) => (
              <div key={key} className="rounded-lg bg-neutral-800/70 px-2 py-1.5">
                <dt className="text-xs text-neutral-300">
                  {sku.name}
                  {sku.manual_units !== null ? " (manual)" : ""}
                </dt>
                <dd className="text-lg font-bold tabular-nums text-neutral-50">{formatUnits(sku.units)}</dd>
              </div>
            ))}
          </dl>
        )}
      </section>

      <div className="mt-auto">
        <PackageActions pkg={pkg} />
      </div>
    </article>
  );
}
