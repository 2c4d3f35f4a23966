import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/server/auth/pageUser";
import { roleAllows } from "@/server/auth/roles";
import { LogViewer } from "@/components/logs/LogViewer";

export default async function ServiceLogsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!/^[a-z0-9-]{1,40}$/.test(name)) notFound();
  const user = await requirePageUser();
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <Link href={`/services/${name}`} className="text-slate-500 hover:underline">
          ← {name}
        </Link>
      </p>
      {roleAllows(user.role, "operator") ? (
        <LogViewer endpoint={`/api/services/${name}/logs`} merged title={`Logs: ${name} (every container)`} />
      ) : (
        <p className="text-sm text-slate-600">Logs may hold sensitive data: reading them needs the operator role.</p>
      )}
    </div>
  );
}
