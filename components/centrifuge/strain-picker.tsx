"use client";

import { useId, useState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useActiveBatches } from "@/lib/client/batches";
import { useOutcomeStrains } from "@/lib/client/centrifuge-desk";
import { strainKey } from "@/lib/domain/strains/strain-key";

export const trendsPath = (strain: string) => `/centrifuge-trends/${encodeURIComponent(strain)}`;

/**
 * Choose a strain: typed, or picked from the strains with recorded runs (most runs first) and the
 * active batches. Quick buttons for the strains with the most runs.
 */
export function StrainPicker({
  current,
  onPick,
  linkToTrends = false,
}: {
  current: string | null;
  onPick: (strain: string) => void;
  /** Offer a link to the strain's own trends page (not on that page itself). */
  linkToTrends?: boolean;
}) {
  const [text, setText] = useState(current ?? "");
  const [error, setError] = useState<string | null>(null);
  const listId = useId();
  const withRuns = useOutcomeStrains();
  const batches = useActiveBatches();

  const known = new Map<string, string>();
  for (const s of withRuns.data ?? []) known.set(strainKey(s.strain), s.strain);
  for (const b of batches.data ?? []) if (!known.has(strainKey(b.strain))) known.set(strainKey(b.strain), b.strain);

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const strain = text.trim();
    if (!strain) return setError("Enter a strain name");
    if (strain.length > 200) return setError("At most 200 characters");
    setError(null);
    onPick(strain);
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-start gap-3">
        <Field
          label="Strain"
          className="w-80"
          list={listId}
          autoComplete="off"
          value={text}
          error={error}
          onChange={(e) => setText(e.target.value)}
        />
        <datalist id={listId}>
          {[...known.values()].map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <Button type="submit" variant="primary" className="mt-6">
          Show trends
        </Button>
        {current && linkToTrends ? (
          <Link
            href={trendsPath(current)}
            className="mt-6 inline-flex min-h-12 items-center rounded-xl px-3 font-semibold text-sky-300 underline-offset-4 hover:underline focus-visible:outline-3 focus-visible:outline-sky-400"
          >
            Link to {current} trends
          </Link>
        ) : null}
      </form>
      {withRuns.data && withRuns.data.length > 0 ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-neutral-300">Strains with recorded runs:</span>
          {withRuns.data.slice(0, 8).map((s) => (
            <Button
              key={s.strain}
              aria-pressed={current !== null && strainKey(current) === strainKey(s.strain)}
              onClick={() => {
                setText(s.strain);
                onPick(s.strain);
              }}
            >
              {s.strain} <span className="text-sm font-normal text-neutral-300">({s.runs})</span>
            </Button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
