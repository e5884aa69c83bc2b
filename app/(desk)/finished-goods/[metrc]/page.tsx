import { PackageDetailPage } from "@/components/finished-goods/package-detail-page";

export const metadata = { title: "Package — PreRoll Tracker" };

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export default async function Page({ params }: { params: Promise<{ metrc: string }> }) {
  const { metrc } = await params;
  return <PackageDetailPage metrc={decoded(metrc)} />;
}
