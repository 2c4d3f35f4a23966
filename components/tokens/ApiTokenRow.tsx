"use client";
import { Badge } from "@/components/ui/Badge";
import { TimeAgo } from "@/components/ui/TimeAgo";
import type { ApiTokenView } from "@/server/auth/apiTokenView";

/** One token: role, owner (for admins), when it was made and last used, and Revoke. */
export function ApiTokenRow({
  token,
  showOwner,
  busy,
  onRevoke,
}: {
  token: ApiTokenView;
  showOwner: boolean;
  busy: boolean;
  onRevoke: () => void;
}) {
  const revoked = token.revokedAt !== null;
  return (
    <tr className={revoked ? "text-slate-400" : undefined} data-testid={`token-row-${token.name}`}>
      <td className="px-3 py-2 font-medium">{token.name}</td>
      <td className="px-3 py-2">
        <Badge tone={token.role === "viewer" ? "slate" : token.role === "operator" ? "blue" : "amber"}>{token.role}</Badge>
      </td>
      <td className="px-3 py-2 text-sm" data-testid="token-scope">
        {token.services ? (
          <span className="font-mono text-xs">{token.services.join(", ")}</span>
        ) : (
          <span className="text-slate-400">all services</span>
        )}
      </td>
      {showOwner && <td className="px-3 py-2 text-sm">{token.owner}</td>}
      <td className="px-3 py-2 text-sm">
        <TimeAgo at={token.createdAt} />
      </td>
      <td className="px-3 py-2 text-sm">
        {token.lastUsedAt ? <TimeAgo at={token.lastUsedAt} /> : <span className="text-slate-400">never</span>}
      </td>
      <td className="px-3 py-2 text-right">
        {revoked ? (
          <Badge tone="red">revoked</Badge>
        ) : (
          <button
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Revoke the token '${token.name}'? Pipelines using it are refused from now on; this cannot be undone.`))
                onRevoke();
            }}
            className="rounded-md border border-red-300 px-2 py-1 text-sm text-red-700 disabled:opacity-40"
          >
            Revoke
          </button>
        )}
      </td>
    </tr>
  );
}
