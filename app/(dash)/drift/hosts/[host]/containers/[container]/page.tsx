import { notFound } from "next/navigation";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { AppError } from "@/server/errors";
import { containerDetail } from "@/server/drift/containerDetail";
import { ContainerParams } from "@/server/drift/driftInput";
import { ContainerDrift } from "@/components/drift/ContainerDrift";
import type { ContainerDetail } from "@/server/drift/containerDetail";

export default async function DriftContainerPage({ params }: { params: Promise<{ host: string; container: string }> }) {
  const parsed = ContainerParams.safeParse(await params);
  if (!parsed.success) notFound();
  const user = await requirePageUser();
  let initial: ContainerDetail;
  try {
    initial = containerDetail(parsed.data.host, parsed.data.container);
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  return (
    <ContainerDrift
      host={parsed.data.host}
      container={parsed.data.container}
      initial={initial}
      canOperate={roleAllows(user.role, "operator")}
      isAdmin={user.role === "admin"}
    />
  );
}
