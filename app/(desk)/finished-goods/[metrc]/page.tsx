import { PackageDetailPage } from "@/components/finished-goods/package-detail-page";

export const metadata = { title: "Package — PreRoll Tracker" };

export default async function Page({ params }: { params: Promise<{ metrc: string }> }) {
  const { metrc } = await params;
  return <PackageDetailPage metrc={decodeURIComponent(metrc)} />;
}
