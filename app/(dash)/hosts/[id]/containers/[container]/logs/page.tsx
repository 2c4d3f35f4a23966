import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { LogViewer } from "@/components/logs/LogViewer";

export default async function ContainerLogsPage({ params }: { params: Promise<{ id: string; container: string }> }) {
  const { id, container } = await params;
  if (!/^\d{1,12}$/.test(id) || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(container)) notFound();
  const user = await requirePageUser();
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <Link href={`/hosts/${id}`} className="text-slate-500 hover:underline">
          ← Host
        </Link>
      </p>
      {roleAllows(user.role, "operator") ? (
        <LogViewer endpoint={`/api/hosts/${id}/containers/${container}/logs`} merged={false} title={`Logs: ${container}`} />
      ) : (
        <p className="text-sm text-slate-600">Logs may hold sensitive data: reading them needs the operator role.</p>
      )}
    </div>
  );
}
