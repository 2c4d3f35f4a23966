"use client";
import { useState, type ChangeEvent } from "react";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { useImportServices } from "./queries";

/** Paste or pick a YAML/JSON file with one spec or a list of specs; existing services are updated. */
export function ImportServices({ onClose }: { onClose: () => void }) {
  const [content, setContent] = useState("");
  const [fileError, setFileError] = useState<unknown>(null);
  const run = useImportServices();

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    setFileError(null);
    try {
      setContent(await file.text());
      run.reset();
    } catch (err) {
      setFileError(err);
    }
  }

  const r = run.data;
  return (
    <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="import-services">
      <div>
        <h2 className="text-base font-semibold">Import services</h2>
        <p className="text-sm text-slate-500">
          One spec or a list of specs, as exported from a service page. Every spec is validated before anything is saved; existing services
          are updated (a masked secret keeps its stored value).
        </p>
      </div>
      <textarea
        aria-label="YAML or JSON"
        value={content}
        onChange={(e) => setContent(e.target.value)}
        rows={10}
        spellCheck={false}
        placeholder={"name: web\nimage: registry:5000/team/web\nplacement:\n  - host: local\n    replicas: 2\nhaproxy:\n  backend: web"}
        className="block w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-xs"
      />
      <label className="block text-sm text-slate-600">
        Or read a file:{" "}
        <input type="file" accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml" onChange={pick} className="ml-1 text-sm" />
      </label>
      <ErrorBox error={fileError ?? run.error} />
      {r && (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {r.created.length > 0 && <p>Created: {r.created.join(", ")}</p>}
          {r.updated.length > 0 && <p>Updated: {r.updated.join(", ")}</p>}
          {r.created.length + r.updated.length === 0 && <p>Nothing to import.</p>}
        </div>
      )}
      <div className="flex gap-2">
        <button
          onClick={() => run.mutate(content)}
          disabled={run.isPending || content.trim() === ""}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-40"
        >
          {run.isPending ? "Importing…" : "Import"}
        </button>
        <button onClick={onClose} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
          Close
        </button>
      </div>
    </div>
  );
}
