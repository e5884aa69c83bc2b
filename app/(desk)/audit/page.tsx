import { AuditPage } from "@/components/audit/audit-page";

export const metadata = { title: "Audit trail — PreRoll Tracker" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Filters may come in the address (e.g. /audit?entity=setting from the settings page). */
export default async function AuditRoute({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === "string" ? (params[key] as string).slice(0, 200) : undefined);
  const initial = Object.fromEntries(
    (["q", "entity", "field", "actor", "from", "to"] as const).map((key) => [key, one(key)]).filter(([, v]) => v !== undefined),
  );
  return <AuditPage initial={initial} />;
}
