import { ReleaseLog } from "@/components/releaseLog/ReleaseLog";

type Search = Record<string, string | string[] | undefined>;

function one(v: string | string[] | undefined): string {
  return (Array.isArray(v) ? v[0] : v) ?? "";
}

/** /log?service=web&actor=alice&action=release.* opens the log already filtered. */
export default async function ReleaseLogPage({ searchParams }: { searchParams: Promise<Search> }) {
  const sp = await searchParams;
  return <ReleaseLog initialFilters={{ service: one(sp.service), actor: one(sp.actor), action: one(sp.action) }} />;
}
