"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Download, Search } from "lucide-react";
import { lazyZodResolver } from "@/lib/client/lazy-zod-resolver";
import { usePackageRecall, useSourceRecall } from "@/lib/client/genealogy";
import type { PackageRecallResponse, RecallBatch, SourceRecallResponse } from "@/lib/domain/genealogy/genealogy-response";
import { formatGrams, formatUnits } from "@/components/finished-goods/fg-format";
import { downloadCsv, pullRows, recallCsv, type PullRow } from "@/components/genealogy/recall-csv";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { StageBadge } from "@/components/ui/stage-badge";
import { EmptyState, ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { toast } from "@/components/ui/toast";

type SearchValues = { tag: string };
const searchResolver = lazyZodResolver<SearchValues, SearchValues>(() =>
  import("@/components/genealogy/genealogy-form-schemas").then((m) => m.recallSearchSchema as never),
);

/**
 * `/genealogy`: recall by any METRC tag. A source package shows the batches made from it and every
 * package those batches made; a finished-goods package shows its batch, the batch's source packages
 * and the batch's packages. The packages to pull download as CSV.
 */
export function GenealogyPage({ initialTag }: { initialTag: string }) {
  const router = useRouter();
  const [tag, setTag] = useState(initialTag.trim().toUpperCase());
  const form = useForm<SearchValues, unknown, SearchValues>({ resolver: searchResolver, defaultValues: { tag } });
  searchResolver.preload();
  const source = useSourceRecall(tag);
  const pkg = usePackageRecall(tag);

  const submit = form.handleSubmit(({ tag: next }) => {
    setTag(next);
    form.setValue("tag", next);
    router.replace(`/genealogy?tag=${encodeURIComponent(next)}`, { scroll: false });
  });

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-bold">Genealogy and recall</h1>
        <p className="text-neutral-300">
          Search a METRC tag: a source package (flower or trim from the grow) or one of our finished-goods packages. See the batches it went
          into and every package to pull.
        </p>
      </div>

      <form onSubmit={submit} noValidate role="search" className="flex max-w-2xl flex-wrap items-start gap-3">
        <Field
          label="METRC tag"
          className="min-w-64 flex-1"
          inputClassName="font-mono uppercase"
          autoComplete="off"
          spellCheck={false}
          hint="Source package or finished-goods package, e.g. 1A4060300000000000000123"
          error={form.formState.errors.tag?.message}
          {...form.register("tag")}
        />
        <Button type="submit" variant="primary" className="mt-6" busy={tag !== "" && (source.isFetching || pkg.isFetching)}>
          <Search aria-hidden className="size-5" /> Search
        </Button>
      </form>

      {tag === "" ? (
        <EmptyState title="Search a METRC tag">Enter a source package or a finished-goods package tag to see what to pull.</EmptyState>
      ) : source.isPending || pkg.isPending ? (
        <Loading label="Searching">
          <Skeleton className="h-24" />
          <Skeleton className="mt-4 h-64" />
        </Loading>
      ) : source.isError || pkg.isError ? (
        <ErrorState
          title="Could not search this tag"
          error={source.error ?? pkg.error}
          onRetry={() => {
            void source.refetch();
            void pkg.refetch();
          }}
        />
      ) : (
        <Results
          tag={tag}
          source={source.data}
          pkg={pkg.data}
          onSearch={(t) => {
            form.setValue("tag", t);
            void submit();
          }}
        />
      )}
    </div>
  );
}

function Results({
  tag,
  source,
  pkg,
  onSearch,
}: {
  tag: string;
  source: SourceRecallResponse;
  pkg: PackageRecallResponse;
  onSearch: (tag: string) => void;
}) {
  const isSource = source.batches.length > 0;
  const isPackage = pkg.package !== null;
  if (!isSource && !isPackage)
    return (
      <EmptyState title={`Nothing found for ${tag}`}>
        No batch lists this tag as a source package and no finished-goods package has it. Check the tag, or record a batch&apos;s source
        packages on its edit page.
      </EmptyState>
    );
  // A tag can be both (a finished-goods package reworked into another batch): the pull list is the union.
  const batches: RecallBatch[] = [...source.batches, ...(pkg.batch ? [pkg.batch] : [])];
  const seen = new Set<string>();
  const packages = [...source.packages, ...pkg.packages].filter((p) => !seen.has(p.metrc_number) && seen.add(p.metrc_number));
  const rows = pullRows(packages, batches);

  return (
    <div className="space-y-5">
      <p className="flex flex-wrap items-center gap-2" aria-live="polite">
        <span className="font-mono text-lg">{tag}</span>
        {isSource ? <Badge tone="blue">Source package</Badge> : null}
        {isPackage ? <Badge tone="green">Finished-goods package</Badge> : null}
      </p>

      {isSource ? (
        <section aria-labelledby="recall-batches-title" className="space-y-2">
          <h2 id="recall-batches-title" className="text-xl font-bold">
            Batches made from this source
          </h2>
          <p className="text-neutral-300">
            {formatGrams(source.source_grams_total)} of this source recorded across {source.batches.length} batches.
          </p>
          <BatchTable batches={source.batches} showSourceGrams />
        </section>
      ) : null}

      {isPackage && pkg.package ? (
        <section aria-labelledby="recall-package-title" className="space-y-2">
          <h2 id="recall-package-title" className="text-xl font-bold">
            Made in
          </h2>
          {pkg.batch ? (
            <>
              <BatchTable batches={[pkg.batch]} />
              <Card>
                <h3 className="mb-2 text-lg font-bold">Source packages of this batch</h3>
                {pkg.sources.length === 0 ? (
                  <p className="text-neutral-300">No source packages recorded for this batch. Add them on the batch&apos;s edit page.</p>
                ) : (
                  <ul className="divide-y divide-neutral-800">
                    {pkg.sources.map((s) => (
                      <li key={s.id} className="flex flex-wrap items-center justify-between gap-3 py-2">
                        <span className="font-mono">{s.source_metrc_number}</span>
                        <span className="tabular-nums">{formatGrams(s.grams)}</span>
                        <Button
                          className="min-h-12 px-3 text-sm"
                          onClick={() => onSearch(s.source_metrc_number)}
                          aria-label={`Recall source ${s.source_metrc_number}`}
                        >
                          Recall this source
                        </Button>
                      </li>
                    ))}
                  </ul>
                )}
              </Card>
            </>
          ) : (
            <p className="text-neutral-300">This package has no source batch recorded.</p>
          )}
        </section>
      ) : null}

      <section aria-labelledby="recall-pull-title" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="recall-pull-title" className="text-xl font-bold">
            Packages to pull ({formatUnits(rows.length)})
          </h2>
          <Button
            variant="primary"
            disabled={rows.length === 0}
            onClick={() => {
              downloadCsv(`recall-${tag}.csv`, recallCsv(rows));
              toast.success(`Downloaded ${rows.length} packages as CSV`);
            }}
          >
            <Download aria-hidden className="size-5" /> Download CSV
          </Button>
        </div>
        {rows.length === 0 ? (
          <EmptyState title="No finished-goods packages yet">
            No package has been made from these batches so far: nothing to pull.
          </EmptyState>
        ) : (
          <PullTable rows={rows} />
        )}
      </section>
    </div>
  );
}

function BatchTable({ batches, showSourceGrams = false }: { batches: readonly RecallBatch[]; showSourceGrams?: boolean }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-neutral-800 bg-neutral-900">
      <table className="w-full text-left">
        <caption className="sr-only">Batches</caption>
        <thead className="text-sm text-neutral-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              Batch
            </th>
            <th scope="col" className="px-3 py-2">
              Stage
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Input
            </th>
            {showSourceGrams ? (
              <th scope="col" className="px-3 py-2 text-right">
                From this source
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800">
          {batches.map((b) => (
            <tr key={b.batch_id} data-testid="recall-batch-row">
              <td className="px-3 py-2">
                <Link href={`/batches/${encodeURIComponent(b.batch_id)}/edit`} prefetch={false} className="font-semibold hover:underline">
                  {b.strain}
                </Link>
                {b.archived ? <span className="ml-2 text-sm text-neutral-300">(archived)</span> : null}
                <span className="block font-mono text-xs text-neutral-300">{b.batch_id}</span>
              </td>
              <td className="px-3 py-2">
                <StageBadge stage={b.stage} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatGrams(b.input_grams)}</td>
              {showSourceGrams ? <td className="px-3 py-2 text-right font-bold tabular-nums">{formatGrams(b.source_grams)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const statusTone = (status: string) => (status === "active" ? "green" : status === "depleted" ? "neutral" : "orange");

function PullTable({ rows }: { rows: readonly PullRow[] }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-neutral-800 bg-neutral-900">
      <table className="w-full text-left">
        <caption className="sr-only">Finished-goods packages to pull</caption>
        <thead className="text-sm text-neutral-300">
          <tr>
            <th scope="col" className="px-3 py-2">
              Package
            </th>
            <th scope="col" className="px-3 py-2">
              Strain
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Current grams
            </th>
            <th scope="col" className="px-3 py-2">
              Status
            </th>
            <th scope="col" className="px-3 py-2 text-right">
              Ordered
            </th>
            <th scope="col" className="px-3 py-2">
              Holds
            </th>
            <th scope="col" className="px-3 py-2">
              Batch
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-neutral-800">
          {rows.map((r) => (
            <tr key={r.metrc_number} data-testid="pull-row">
              <td className="px-3 py-2">
                <Link
                  href={`/finished-goods/${encodeURIComponent(r.metrc_number)}`}
                  prefetch={false}
                  className="font-mono text-sm hover:underline"
                >
                  {r.metrc_number}
                </Link>
              </td>
              <td className="px-3 py-2 font-semibold">{r.strain}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                <span className="font-bold">{formatGrams(r.current_grams)}</span>
                <span className="block text-xs text-neutral-300">of {formatGrams(r.initial_grams)}</span>
              </td>
              <td className="px-3 py-2">
                <Badge tone={statusTone(r.status)}>{r.status}</Badge>
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatGrams(r.grams_ordered)}</td>
              <td className="px-3 py-2 text-sm">{r.held_units > 0 ? `${formatUnits(r.held_units)} units: ${r.holds}` : "—"}</td>
              <td className="px-3 py-2 text-sm">
                {r.batch_strain ?? "—"}
                {r.batch_id ? <span className="block font-mono text-xs text-neutral-300">{r.batch_id}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
