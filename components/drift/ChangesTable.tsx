"use client";
import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/Badge";
import { ErrorBox } from "@/components/ui/ErrorBox";
import { changesQuery, containerPath } from "./queries";

const PAGE = 100;
const KIND_TONE = { added: "green", changed: "amber", deleted: "red" } as const;

/** The changes, a page at a time from the API (a container with 10,000+ changed files stays responsive). Keyed by `dir` by its parent. */
export function ChangesTable({
  host,
  container,
  dir,
  canDownload,
}: {
  host: string;
  container: string;
  dir: string | null;
  canDownload: boolean;
}) {
  const [page, setPage] = useState(1);
  const q = useQuery({ ...changesQuery(host, container, page, PAGE, dir), placeholderData: keepPreviousData });
  const d = q.data;
  if (q.error) return <ErrorBox error={q.error} />;
  if (!d) return <p className="p-4 text-sm text-slate-500">Loading changes…</p>;
  return (
    <div data-testid="changes">
      <table className="min-w-full text-sm">
        <tbody className="divide-y divide-slate-100">
          {d.items.map((c) => (
            <tr key={c.path} data-testid={`change-${c.path}`} className={c.ignoredBy ? "text-slate-400" : ""}>
              <td className="w-20 px-4 py-1">
                <Badge tone={KIND_TONE[c.kind]}>{c.kind}</Badge>
              </td>
              <td className="px-2 py-1 font-mono text-xs break-all">{c.path}</td>
              <td className="px-2 py-1 text-xs">
                {c.ignoredBy !== null && <span data-testid="ignored">ignored (rule {c.ignoredBy})</span>}
              </td>
              <td className="px-2 py-1 text-right text-xs">
                {c.downloadable && canDownload && (
                  <a
                    href={`${containerPath(host, container)}/file?path=${encodeURIComponent(c.path)}`}
                    download
                    className="text-blue-700 hover:underline"
                  >
                    Download
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-2 border-t border-slate-100 px-4 py-2 text-sm" data-testid="changes-pager">
        <button
          disabled={page <= 1}
          onClick={() => setPage(page - 1)}
          className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
        >
          Previous
        </button>
        <span className="text-slate-600">
          Page {d.page} of {d.pages} · {d.total} change(s){dir ? ` in ${dir}` : ""}
        </span>
        <button
          disabled={page >= d.pages}
          onClick={() => setPage(page + 1)}
          className="rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40"
        >
          Next
        </button>
        {q.isFetching && <span className="text-xs text-slate-400">loading…</span>}
      </div>
    </div>
  );
}
