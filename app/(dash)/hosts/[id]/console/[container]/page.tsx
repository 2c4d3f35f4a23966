import { notFound } from "next/navigation";
import { HostContainerConsole } from "@/components/quarantine/HostContainerConsole";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";

/** The debug console of one container on a host: open for a quarantined container, refused (with the reason) for any other. */
export default async function ContainerConsolePage({ params }: { params: Promise<{ id: string; container: string }> }) {
  const { id, container } = await params;
  if (!/^\d{1,12}$/.test(id) || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(container)) notFound();
  const user = await requirePageUser();
  return <HostContainerConsole hostId={Number(id)} container={container} canOperate={roleAllows(user.role, "operator")} />;
}
