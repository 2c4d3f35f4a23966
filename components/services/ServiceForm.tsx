"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/components/apiFetch";
import { ErrorBox } from "@/components/ui/ErrorBox";
import type { HostView } from "@/components/fleet/types";
import type { ServiceSpec } from "@/server/services/serviceSpecInput";
import { SpecEditor } from "./form/SpecEditor";
import { newServiceState, stateFromSpec } from "./form/formState";

/**
 * Create a service (no `name`) or edit the spec of an existing one. Loads the
 * registered hosts for the placement picker and, on edit, the current spec.
 */
export function ServiceForm({ name, canEdit }: { name?: string; canEdit: boolean }) {
  const router = useRouter();
  const qc = useQueryClient();
  const isEdit = name !== undefined;
  const hosts = useQuery({ queryKey: ["hosts"], queryFn: () => apiFetch<{ hosts: HostView[] }>("/api/hosts") });
  const current = useQuery({
    queryKey: ["service-spec", name],
    queryFn: () => apiFetch<{ service: { spec: ServiceSpec } }>(`/api/services/${encodeURIComponent(name ?? "")}`),
    enabled: isEdit,
    // The draft is seeded once; a background refetch must not look like someone else's edit.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });

  async function save(spec: ServiceSpec) {
    if (isEdit) await apiFetch(`/api/services/${encodeURIComponent(spec.name)}`, { method: "PUT", body: spec });
    else await apiFetch("/api/services", { method: "POST", body: spec });
    await Promise.all([
      qc.invalidateQueries({ queryKey: ["services"] }),
      qc.invalidateQueries({ queryKey: ["service", spec.name] }),
      qc.removeQueries({ queryKey: ["service-spec", spec.name] }),
    ]);
    router.push(`/services/${encodeURIComponent(spec.name)}`);
  }

  const back = isEdit ? `/services/${encodeURIComponent(name)}` : "/services";
  const hostNames = hosts.data?.hosts.map((h) => h.name);
  const ready = hostNames && (!isEdit || current.data);
  return (
    <section className="mx-auto max-w-4xl space-y-4">
      <div>
        <p className="text-sm">
          <Link href={back} className="text-slate-500 hover:underline">← {isEdit ? name : "Services"}</Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">{isEdit ? `Edit ${name}` : "New service"}</h1>
        <p className="mt-1 text-sm text-slate-500">
          A service is an image repository plus how and where to run it. Every deploy freezes this spec into an immutable release.
        </p>
      </div>
      {!canEdit && <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">You can look, but changing services needs the operator role.</p>}
      <ErrorBox error={hosts.error ?? current.error} />
      {!ready && !hosts.error && !current.error && <p className="text-slate-500">Loading…</p>}
      {ready && (
        <SpecEditor
          key={name ?? "new"}
          initial={isEdit && current.data ? stateFromSpec(current.data.service.spec, hostNames) : newServiceState(hostNames)}
          isEdit={isEdit}
          canEdit={canEdit}
          onSubmit={save}
          onCancel={() => router.push(back)}
        />
      )}
    </section>
  );
}
