import { CentrifugeTrendsPage } from "@/components/centrifuge/centrifuge-trends-page";

type Props = { params: Promise<{ strain: string }> };

/** The segment as typed; a strain with a literal "%" that is not an escape stays as it is. */
function strainOf(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export async function generateMetadata({ params }: Props) {
  return { title: `Centrifuge trends: ${strainOf((await params).strain)} — PreRoll Tracker` };
}

export default async function Page({ params }: Props) {
  return <CentrifugeTrendsPage strain={strainOf((await params).strain)} />;
}
