import { notFound } from "next/navigation";
import { HostContainersView } from "@/components/fleet/HostContainersView";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!/^\d{1,12}$/.test(id)) notFound();
  return <HostContainersView hostId={Number(id)} />;
}
