"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { hostsQuery } from "@/components/hosts/queries";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { serviceSpecQuery } from "./queries";
import { SpecEditor } from "./form/SpecEditor";
import { newServiceState, stateFromSpec } from "./form/formState";

/**
 * Create a service (no `name`) or edit the spec of an existing one. Loads the
 * registered hosts for the placement picker and, on edit, the current spec.
 */
export function ServiceForm({ name, canEdit, canChooseBackends }: { name?: string; canEdit: boolean; canChooseBackends: boolean }) {
  const router = useRouter();
  const isEdit = name !== undefined;
  const hosts = useQuery(hostsQuery());
  const current = useQuery({
    ...serviceSpecQuery(name),
    enabled: isEdit,
    // The draft is seeded once; a background refetch must not look like someone else's edit.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });

  const back = isEdit ? `/services/${encodeURIComponent(name)}` : "/services";
  const hostNames = hosts.data?.hosts.map((h) => h.name);
  const ready = hostNames && (!isEdit || current.data);
  return (
    <section className="mx-auto max-w-4xl space-y-4">
      <div>
        <p className="text-sm">
          <Link href={back} className="text-slate-500 hover:underline">
            ← {isEdit ? name : "Services"}
          </Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold">{isEdit ? `Edit ${name}` : "New service"}</h1>
        <p className="mt-1 text-sm text-slate-500">
          A service is an image repository plus how and where to run it. Every deploy freezes this spec into an immutable release.
        </p>
      </div>
      {!canEdit && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {isEdit
            ? "You can look, but changing services needs the operator role."
            : "Creating a service needs the admin role: it claims HAProxy backends."}
        </p>
      )}
      <ErrorBox error={hosts.error ?? current.error} />
      {!ready && !hosts.error && !current.error && <p className="text-slate-500">Loading…</p>}
      {ready && (
        <SpecEditor
          key={name ?? "new"}
          initial={isEdit && current.data ? stateFromSpec(current.data.service.spec, hostNames) : newServiceState(hostNames)}
          isEdit={isEdit}
          canEdit={canEdit}
          canChooseBackends={canChooseBackends}
          onSaved={(spec) => router.push(`/services/${encodeURIComponent(spec.name)}`)}
          onCancel={() => router.push(back)}
        />
      )}
    </section>
  );
}
