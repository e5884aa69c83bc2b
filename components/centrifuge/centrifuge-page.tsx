"use client";

import { useState } from "react";
import { Tabs } from "radix-ui";
import { ErrorState, Loading, Skeleton } from "@/components/ui/states";
import { useSettingsGuide } from "@/lib/client/centrifuge-desk";
import { ForceTab } from "@/components/centrifuge/force-tab";
import { ImpulseTab } from "@/components/centrifuge/impulse-tab";
import { MachinesTab } from "@/components/centrifuge/machines-tab";
import { StrainPicker } from "@/components/centrifuge/strain-picker";
import { StrainTrends } from "@/components/centrifuge/strain-trends";
import { EmptyState } from "@/components/ui/states";

const TABS = [
  { value: "force", label: "Force" },
  { value: "impulse", label: "Impulse" },
  { value: "strains", label: "Strain trends" },
  { value: "machines", label: "Machines" },
] as const;

export const tabClass =
  "min-h-12 rounded-t-xl border-b-2 border-transparent px-5 text-base font-semibold text-neutral-300 hover:text-neutral-50 focus-visible:outline-3 focus-visible:outline-sky-400 data-[state=active]:border-green-400 data-[state=active]:text-neutral-50";

/** /centrifuge: the centrifuge tools in tabs (desk). */
export function CentrifugePage() {
  const guide = useSettingsGuide();
  const [strain, setStrain] = useState<string | null>(null);
  const machines = guide.data ? Object.values(guide.data.centrifuges) : [];
  const defaultMachine = machines.some((m) => m.id === "silver_bullet") ? "silver_bullet" : (machines[0]?.id ?? "");

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold text-neutral-50">Centrifuge</h1>
        <p className="text-neutral-300">Force and impulse calculators, machines, and what each strain&apos;s runs have taught us.</p>
      </div>
      <Tabs.Root defaultValue="force">
        <Tabs.List aria-label="Centrifuge tools" className="mb-4 flex gap-1 border-b border-neutral-800">
          {TABS.map((t) => (
            <Tabs.Trigger key={t.value} value={t.value} className={tabClass}>
              {t.label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {guide.isError ? (
          <ErrorState title="Could not load the centrifuge machines" error={guide.error} onRetry={() => void guide.refetch()} />
        ) : null}
        <Tabs.Content value="force" className="focus-visible:outline-none">
          {guide.data ? <ForceTab machines={machines} defaultMachine={defaultMachine} /> : <TabSkeleton hidden={guide.isError} />}
        </Tabs.Content>
        <Tabs.Content value="impulse" className="focus-visible:outline-none">
          {guide.data ? <ImpulseTab machines={machines} defaultMachine={defaultMachine} /> : <TabSkeleton hidden={guide.isError} />}
        </Tabs.Content>
        <Tabs.Content value="strains" className="space-y-4 focus-visible:outline-none">
          <StrainPicker current={strain} onPick={setStrain} linkToTrends />
          {strain ? (
            <StrainTrends key={strain} strain={strain} />
          ) : (
            <EmptyState title="Pick a strain">
              Type a strain name or choose one with recorded runs to see its centrifuge runs over time, the learned settings per size and
              the changes made to its batches.
            </EmptyState>
          )}
        </Tabs.Content>
        <Tabs.Content value="machines" className="focus-visible:outline-none">
          {guide.data ? <MachinesTab guide={guide.data} /> : <TabSkeleton hidden={guide.isError} />}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}

function TabSkeleton({ hidden }: { hidden: boolean }) {
  if (hidden) return null;
  return (
    <Loading label="Loading the centrifuge tools">
      <div className="grid gap-4 xl:grid-cols-2">
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
      </div>
    </Loading>
  );
}
