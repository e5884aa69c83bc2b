import { GenealogyPage } from "@/components/genealogy/genealogy-page";

export const metadata = { title: "Genealogy and recall — PreRoll Tracker" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** `/genealogy?tag=…` opens with that tag searched (bookmarks, links from other pages). */
export default async function Page({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const tag = typeof params.tag === "string" ? params.tag.slice(0, 100) : "";
  return <GenealogyPage initialTag={tag} />;
}
