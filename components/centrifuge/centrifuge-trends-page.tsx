"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { StrainPicker, trendsPath } from "@/components/centrifuge/strain-picker";
import { StrainTrends } from "@/components/centrifuge/strain-trends";

/** /centrifuge-trends/{strain}: one strain's centrifuge trends (the old system's path, kept). */
export function CentrifugeTrendsPage({ strain }: { strain: string }) {
  const router = useRouter();
  return (
    <div className="space-y-4">
      <div>
        <Link
          href="/centrifuge"
          className="inline-flex min-h-12 items-center gap-2 font-semibold text-sky-300 underline-offset-4 hover:underline focus-visible:outline-3 focus-visible:outline-sky-400"
        >
          <ArrowLeft aria-hidden className="size-5" /> Centrifuge tools
        </Link>
        <h1 className="text-2xl font-bold text-neutral-50">Centrifuge trends: {strain}</h1>
      </div>
      <StrainPicker key={strain} current={strain} onPick={(next) => router.push(trendsPath(next))} />
      <StrainTrends key={strain} strain={strain} />
    </div>
  );
}
