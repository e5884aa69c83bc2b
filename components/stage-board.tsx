"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSession } from "next-auth/react";
import { useState } from "react";
import { apiFetch, apiMutate } from "@/lib/client/api";
import { useLastUpdated } from "@/lib/client/use-last-updated";
import { stageNames } from "@/lib/domain/batches/constants";
import { StageBadge } from "@/components/ui/stage-badge";

interface BatchRow {
  id: string;
  strain: string;
  stage: number;
  input_grams: number;
  counts_0_5: number;
  counts_0_7: number;
  counts_1_0: number;
  total_count: number;
  thc_percent: number | null;
  harvest_date: string | null;
  days_in_stage: number;
}

const BATCHES_KEY = ["batches", "active"] as const;

/** The stage board: active batches grouped by stage 0–7, each movable with a select + Save. */
export function StageBoard() {
  const { data: session } = useSession();
  const role = (session?.user as { role?: string } | undefined)?.role ?? "viewer";
  const canEdit = role === "operator" || role === "admin";
  const batches = useQuery({ queryKey: BATCHES_KEY, queryFn: () => apiFetch<BatchRow[]>("/api/data") });
  useLastUpdated("/api/batches/last-updated", BATCHES_KEY);

  if (batches.isPending) return <p className="p-8 text-lg text-neutral-400">Loading batches…</p>;
  if (batches.isError) return <p className="p-8 text-lg text-red-400">Could not load batches: {batches.error.message}</p>;

  const byStage = stageNames.map((_, stage) => batches.data.filter((b) => b.stage === stage));
  return (
    <div className="space-y-6">
      <p className="text-neutral-400">{batches.data.length} active batches</p>
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        {byStage.map((rows, stage) => (
          <section key={stage} data-testid={`stage-column-${stage}`} className="rounded-xl border border-neutral-800 bg-neutral-900 p-3">
            <h2 className="mb-3 flex items-center justify-between">
              <StageBadge stage={stage} />
              <span className="text-sm text-neutral-400">{rows.length}</span>
            </h2>
            <ul className="space-y-3">
              {rows.map((b) => (
                <BatchCard key={b.id} batch={b} canEdit={canEdit} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

function BatchCard({ batch, canEdit }: { batch: BatchRow; canEdit: boolean }) {
  const client = useQueryClient();
  const [stage, setStage] = useState(batch.stage);
  const move = useMutation({
    mutationFn: (to: number) => apiMutate(`/api/batches/${batch.id}/stage`, { stage: to }),
    onSuccess: () => client.invalidateQueries({ queryKey: BATCHES_KEY }),
  });
  return (
    <li data-testid="batch-card" data-batch-id={batch.id} className="rounded-lg bg-neutral-800 p-3">
      <div className="flex items-baseline justify-between gap-2">
        <span className="text-lg font-semibold text-green-400">{batch.strain}</span>
        <span className="text-sm text-neutral-400">{batch.input_grams} g</span>
      </div>
      <dl className="mt-2 grid grid-cols-3 gap-1 text-center text-sm">
        {(["0_5", "0_7", "1_0"] as const).map((s) => (
          <div key={s} className="rounded bg-neutral-900 py-1">
            <dt className="text-neutral-400">{s.replace("_", ".")} g</dt>
            <dd className="text-base font-semibold">{batch[`counts_${s}`]}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-sm text-neutral-400">
        {batch.total_count} pre-rolls
        {batch.thc_percent !== null ? ` · THC ${batch.thc_percent}%` : ""}
        {batch.harvest_date ? ` · harvested ${batch.harvest_date}` : ""} · {batch.days_in_stage} d in stage
      </p>
      {canEdit && (
        <form
          className="mt-3 flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            move.mutate(stage);
          }}
        >
          <label className="sr-only" htmlFor={`stage-${batch.id}`}>
            Stage
          </label>
          <select
            id={`stage-${batch.id}`}
            aria-label={`Stage of ${batch.strain}`}
            value={stage}
            onChange={(e) => setStage(Number(e.target.value))}
            className="min-h-11 flex-1 rounded-lg bg-neutral-900 px-2"
          >
            {stageNames.map((name, i) => (
              <option key={i} value={i}>
                {i} {name}
              </option>
            ))}
          </select>
          <button
            type="submit"
            disabled={move.isPending || stage === batch.stage}
            className="min-h-11 rounded-lg bg-green-700 px-4 font-semibold hover:bg-green-600 disabled:opacity-40"
          >
            {move.isPending ? "Saving…" : "Save"}
          </button>
        </form>
      )}
      {move.isError && <p className="mt-2 text-sm text-red-400">{move.error.message}</p>}
    </li>
  );
}
