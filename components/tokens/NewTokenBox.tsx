"use client";
import type { CreatedApiToken } from "@/server/auth/createApiToken";
import { CopyField } from "./CopyField";

/** The only time the secret is shown: copy it now, with an example of its use in a pipeline. */
export function NewTokenBox({ created, onDone }: { created: CreatedApiToken; onDone: () => void }) {
  const service = created.apiToken.services?.[0] ?? "demo-web";
  const example = [
    `curl -H "Authorization: Bearer $SWITCHYARD_TOKEN" \\`,
    `  -X POST '${window.location.origin}/api/services/${service}/redeploy?wait=true' \\`,
    `  -H 'content-type: application/json' -d '{}'`,
  ].join("\n");
  return (
    <div className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4" role="status" data-testid="new-token">
      <p className="text-sm font-medium text-amber-900">
        Token &lsquo;{created.apiToken.name}&rsquo; ({created.apiToken.role}
        {created.apiToken.services ? `, limited to ${created.apiToken.services.join(", ")}` : ""}) created. Copy it now: it will not be
        shown again.
      </p>
      <CopyField value={created.token} label="New API token" />
      <p className="text-sm text-slate-700">
        Store it as a pipeline secret named <code className="font-mono text-xs">SWITCHYARD_TOKEN</code>; then a step like this redeploys a
        service and waits for the result (replace {service} with your service):
      </p>
      <CopyField value={example} label="Example request" multiline />
      <button type="button" onClick={onDone} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm text-white">
        I have copied it
      </button>
    </div>
  );
}
