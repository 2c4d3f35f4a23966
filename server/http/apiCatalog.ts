import "server-only";
import type { ZodType } from "zod";
import type { Role } from "@/server/auth/roles";
import { ApiTokenInput } from "@/server/auth/apiTokenInput";
import {
  ChangesQuery,
  ContainerParams,
  DriftReportQuery,
  FileQuery,
  HostParam,
  IgnoreRuleInput,
  IgnoreRulePatch,
  ScanQuery,
} from "@/server/drift/driftInput";
import { FirstAdminInput } from "@/server/auth/firstAdmin";
import { UserInput, UserPatch } from "@/server/users/userInput";
import { LoginInput } from "@/server/auth/login";
import { LogoutInput } from "@/server/auth/logoutInput";
import { HostInput, HostKeyRequest, HostPatch } from "@/server/hosts/hostInput";
import { EventsQuery } from "@/server/releaseLog/listEvents";
import { TrafficQuery } from "@/server/live/trafficInput";
import { StreamQuery } from "@/server/live/streamInput";
import { ReleaseDiffQuery } from "@/server/releases/diffReleases";
import { ShiftInput } from "@/server/releases/shiftInput";
import { ImportInput } from "@/server/services/exportImport";
import { DeployInput, ServiceSpec } from "@/server/services/serviceSpecInput";
import { CancelSelfDestructInput, ConsoleInput, ExtendInput, QuarantineInput } from "@/server/quarantine/quarantineInput";
import { EmptyBody, ExportQuery, HostContainerParams, IdParam, ServiceParam, WaitQuery } from "./params";
import { ServiceVolumeParams, VolumeHostQuery } from "@/server/volumes/volumeInput";
import { DeliveryParams, WebhookInput, WebhookPatch } from "@/server/webhooks/webhookInput";
import { LogsQuery } from "@/server/logs/logsInput";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One API operation, described with the same zod schemas its route handler parses. */
export type ApiRoute = {
  method: HttpMethod;
  /** OpenAPI style: /api/services/{name} */
  path: string;
  summary: string;
  description?: string;
  /** The minimum role, as passed to route(); "public" needs no credentials. */
  role: Role | "public";
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  /** Success statuses; 200 unless given. */
  success?: readonly (200 | 201 | 202)[];
  /** Success media types; application/json unless given. */
  produces?: readonly string[];
  /** Refused for API tokens: only a browser session may call it. */
  sessionOnly?: boolean;
};

const WAIT =
  "`?wait=true` answers when the operation ends (200); otherwise 202 at once with the operation to poll at /api/operations/{id}.";

/** Every API route. test/unit/openApi.test.ts checks this list against the route files under app/api. */
export const API_CATALOG: readonly ApiRoute[] = [
  { method: "GET", path: "/api/openapi.json", summary: "This OpenAPI document", role: "public" },

  {
    method: "POST",
    path: "/api/setup",
    summary: "First-run setup: create the first admin (only while no user exists)",
    role: "public",
    body: FirstAdminInput,
    success: [201],
  },
  { method: "POST", path: "/api/auth/login", summary: "Log in; sets the session cookie", role: "public", body: LoginInput },
  {
    method: "POST",
    path: "/api/auth/logout",
    summary: "Log out this session, or every session of the user",
    role: "viewer",
    body: LogoutInput,
  },
  { method: "GET", path: "/api/me", summary: "Who is calling: username, role and how they authenticated", role: "viewer" },

  { method: "GET", path: "/api/tokens", summary: "List API tokens (your own; admins see everyone's)", role: "viewer" },
  {
    method: "POST",
    path: "/api/tokens",
    summary: "Create an API token; the secret is in this response only",
    description: "The token's role cannot be above your own. API tokens cannot create tokens: create them from a browser session.",
    role: "viewer",
    body: ApiTokenInput,
    success: [201],
    sessionOnly: true,
  },
  { method: "DELETE", path: "/api/tokens/{id}", summary: "Revoke an API token (your own; admins any)", role: "viewer", params: IdParam },

  { method: "GET", path: "/api/users", summary: "List users with their role, live sessions and API tokens", role: "admin" },
  {
    method: "POST",
    path: "/api/users",
    summary: "Create a user with a role and an initial password",
    description: "API tokens cannot manage users: do it from a browser session.",
    role: "admin",
    body: UserInput,
    success: [201],
    sessionOnly: true,
  },
  {
    method: "PATCH",
    path: "/api/users/{id}",
    summary: "Change a user's role and/or password; their sessions end",
    description: "The last admin cannot be demoted.",
    role: "admin",
    params: IdParam,
    body: UserPatch,
    sessionOnly: true,
  },
  {
    method: "DELETE",
    path: "/api/users/{id}",
    summary: "Delete a user with their sessions and API tokens (never yourself, never the last admin)",
    role: "admin",
    params: IdParam,
    sessionOnly: true,
  },

  { method: "GET", path: "/api/fleet", summary: "Every host with its containers and their health", role: "viewer" },
  { method: "GET", path: "/api/events", summary: "The release log, newest first", role: "viewer", query: EventsQuery },
  {
    method: "GET",
    path: "/api/stream",
    summary: "Live changes as server-sent events",
    description:
      "One connection per page. Each event names a changed topic (fleet, host:<id>, service:<name>, operation:<id>, drift, quarantine, releaseLog); operation events carry the operation with its steps. Resumes after Last-Event-ID; `reset` means refetch everything. API tokens scoped to services see only those services' events.",
    role: "viewer",
    query: StreamQuery,
    produces: ["text/event-stream"],
  },
  {
    method: "GET",
    path: "/api/operations/{id}",
    summary: "An operation (deploy, redeploy) with its steps",
    role: "viewer",
    params: IdParam,
  },

  { method: "GET", path: "/api/hosts", summary: "List Docker hosts", role: "viewer" },
  {
    method: "GET",
    path: "/api/routing/managed",
    summary: "Managed HAProxy routing: frontends and backends per service, the include file, the last reloads",
    role: "viewer",
  },
  {
    method: "POST",
    path: "/api/hosts",
    summary: "Add a Docker host",
    description:
      "An ssh:// host needs `hostKeyFingerprint` (SHA256:..., checked on every connection). Plain tcp:// without TLS to a non-loopback address is refused unless `insecure: true`.",
    role: "admin",
    body: HostInput,
    success: [201],
  },
  {
    method: "POST",
    path: "/api/hosts/host-key",
    summary: "Read an SSH server's host key fingerprint for an admin to confirm (nothing is stored)",
    description:
      "Connects to the ssh:// url only until the server shows its host key, then disconnects. 503 when the server cannot be reached.",
    role: "admin",
    body: HostKeyRequest,
  },
  { method: "GET", path: "/api/hosts/{id}", summary: "One Docker host", role: "viewer", params: IdParam },
  {
    method: "PATCH",
    path: "/api/hosts/{id}",
    summary: "Change a Docker host; omitted key material is kept",
    role: "admin",
    params: IdParam,
    body: HostPatch,
  },
  {
    method: "DELETE",
    path: "/api/hosts/{id}",
    summary: "Remove a Docker host from Switchyard (the engine is not touched)",
    role: "admin",
    params: IdParam,
  },
  { method: "GET", path: "/api/hosts/{id}/containers", summary: "The containers on one host", role: "viewer", params: IdParam },

  { method: "GET", path: "/api/services", summary: "List services", role: "viewer" },
  {
    method: "POST",
    path: "/api/services",
    summary: "Create a service from its spec (it claims its HAProxy backends: admin only)",
    role: "admin",
    body: ServiceSpec,
    success: [201],
  },
  {
    method: "POST",
    path: "/api/services/import",
    summary: "Create or update services from a YAML or JSON document (creating, or changing HAProxy backends, needs the admin role)",
    role: "operator",
    body: ImportInput,
  },
  {
    method: "GET",
    path: "/api/services/{name}",
    summary: "A service with its releases and containers",
    role: "viewer",
    params: ServiceParam,
  },
  {
    method: "PUT",
    path: "/api/services/{name}",
    summary: "Replace a service's spec (used by the next release); changing its HAProxy backends needs the admin role",
    role: "operator",
    params: ServiceParam,
    body: ServiceSpec,
  },
  { method: "DELETE", path: "/api/services/{name}", summary: "Delete a service", role: "admin", params: ServiceParam },
  {
    method: "GET",
    path: "/api/services/{name}/volumes",
    summary: "The service's data volumes on every host, with size, location and the containers that mount them",
    description: "Found by label, so the volumes of a deleted service are listed too. sizeBytes is null when the engine does not know.",
    role: "viewer",
    params: ServiceParam,
  },
  {
    method: "DELETE",
    path: "/api/services/{name}/volumes/{volume}",
    summary: "Delete one volume of a service on one host, with its data",
    description:
      "Refused (409) while a container, running or stopped, mounts it. Retire, quarantine and service delete never remove volumes.",
    role: "admin",
    params: ServiceVolumeParams,
    query: VolumeHostQuery,
  },
  {
    method: "GET",
    path: "/api/services/{name}/export",
    summary: "The service spec as a file (secret values masked)",
    role: "viewer",
    params: ServiceParam,
    query: ExportQuery,
    produces: ["application/yaml", "application/json"],
  },
  {
    method: "POST",
    path: "/api/services/{name}/deploy",
    summary: "Deploy a version (tag, reference or digest), replay an earlier release, or deploy the spec change (live image, edited spec)",
    description: `${WAIT} \`{ "specChange": true }\` deploys the live release's image digest with the service's current spec; 409 when nothing is live or the spec is the same as the live release's.`,
    role: "operator",
    params: ServiceParam,
    query: WaitQuery,
    body: DeployInput,
    success: [200, 202],
  },
  {
    method: "POST",
    path: "/api/services/{name}/redeploy",
    summary: "Redeploy the live release's digest and spec in fresh containers",
    description: WAIT,
    role: "operator",
    params: ServiceParam,
    query: WaitQuery,
    body: EmptyBody,
    success: [200, 202],
  },
  {
    method: "GET",
    path: "/api/services/{name}/releases/diff",
    summary: "What changed between two releases: the image digest and each spec field (secret values only as changed)",
    description: "`?from=N&to=M`; 404 names a release that does not exist.",
    role: "viewer",
    params: ServiceParam,
    query: ReleaseDiffQuery,
  },
  {
    method: "GET",
    path: "/api/services/{name}/traffic",
    summary: "Traffic history per release side: requests/s, 5xx/s and response time, with switch, rollback and deploy markers",
    description:
      "`?range=15m|1h|24h` (default 15m; steps of 10 s, 30 s, 5 min). Read from SQLite, recorded every 10 s from the HAProxy sampler; kept 7 days, 5 min buckets after 24 h.",
    role: "viewer",
    params: ServiceParam,
    query: TrafficQuery,
  },
  {
    method: "POST",
    path: "/api/services/{name}/switch",
    summary: "Switch traffic to the candidate release",
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
  },
  {
    method: "GET",
    path: "/api/services/{name}/rollout",
    summary: "The service's latest rollout: steps, current step, time left, traffic shares and the analysis gate's measurements",
    role: "viewer",
    params: ServiceParam,
  },
  {
    method: "POST",
    path: "/api/services/{name}/rollout",
    summary: "Start the spec's rollout (canary steps with the analysis gate) on the candidate release",
    description:
      "409 without `rollout` in the spec, a candidate or a live release, or while another operation runs. 202 at once; the rollout is operation `operationId`.",
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
    success: [202],
  },
  ...(
    [
      [
        "continue",
        "Continue: resume a paused step's clock, or end the current step now (the gate decides: next step, Switch, or paused when inconclusive)",
      ],
      ["pause", "Pause the rollout's clock (the share stays; a gate breach still aborts)"],
      ["abort", "Abort the rollout: the candidate's share back to 0, the live release serves all traffic"],
      ["promote", "Promote now: switch to the candidate whatever the step and the gate say"],
    ] as const
  ).map(([verb, summary]): ApiRoute => ({
    method: "POST",
    path: `/api/services/{name}/rollout/${verb}`,
    summary,
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
  })),
  {
    method: "POST",
    path: "/api/services/{name}/shift",
    summary: "Give the candidate a share of the traffic (0..100 %), exact whatever the replica counts",
    description:
      '`{ "weight": 10 }` is the candidate\'s share in percent; per-server HAProxy weights are computed so the share is exact. 0 takes it back to preview only. The answer has the weights applied, the effective share and the servers left out, with why.',
    role: "operator",
    params: ServiceParam,
    body: ShiftInput,
  },
  {
    method: "POST",
    path: "/api/services/{name}/smoke",
    summary: "Run the service's smoke checks against every candidate container now",
    description:
      "The results per container: status, latency, the first 1 KB of the body. Switch and shifts up run the same checks first and answer 409 with `smoke` (these results) when one fails.",
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
  },
  {
    method: "POST",
    path: "/api/services/{name}/rollback",
    summary: "Switch traffic back to the standby release",
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
  },
  {
    method: "POST",
    path: "/api/services/{name}/retire",
    summary: "Retire the standby release and remove its containers",
    role: "operator",
    params: ServiceParam,
    body: EmptyBody,
  },

  {
    method: "GET",
    path: "/api/drift",
    summary: "The fleet drift report, from the stored scans (per host, per container, host drift)",
    description:
      "`?fail=true` is the CI form: 409 (with the report and an error message) when a container drifted or is unaccounted, 503 when it cannot tell (a host unreachable or not scanned yet).",
    role: "viewer",
    query: DriftReportQuery,
  },
  { method: "GET", path: "/api/drift/hosts/{host}", summary: "One host's drift report", role: "viewer", params: HostParam },
  {
    method: "GET",
    path: "/api/drift/hosts/{host}/containers/{container}",
    summary: "One container's findings, changes by directory and history (by ID or name)",
    role: "viewer",
    params: ContainerParams,
  },
  {
    method: "GET",
    path: "/api/drift/hosts/{host}/containers/{container}/changes",
    summary: "A container's filesystem changes, paged",
    role: "viewer",
    params: ContainerParams,
    query: ChangesQuery,
  },
  {
    method: "GET",
    path: "/api/drift/hosts/{host}/containers/{container}/file",
    summary: "Download an added or changed file of a container (tar, read-only)",
    description: "Only paths the last scan listed as added or changed.",
    role: "operator",
    params: ContainerParams,
    query: FileQuery,
    produces: ["application/x-tar"],
  },
  {
    method: "POST",
    path: "/api/drift/hosts/{host}/containers/{container}/baseline",
    summary: "Turn a container's current filesystem findings into ignore rules for its service",
    role: "admin",
    params: ContainerParams,
    body: EmptyBody,
    success: [201],
  },
  {
    method: "POST",
    path: "/api/drift/scans",
    summary: "Scan now (or answer with the scan already running)",
    description: "`?wait=true` answers when the scan ends (200); otherwise 202 at once with the scan to poll at /api/drift/scans/{id}.",
    role: "operator",
    query: ScanQuery,
    body: EmptyBody,
    success: [200, 202],
  },
  { method: "GET", path: "/api/drift/scans/{id}", summary: "A drift scan with its progress per host", role: "viewer", params: IdParam },
  { method: "GET", path: "/api/drift/ignore-rules", summary: "Ignore rules (expected noise): global and per service", role: "viewer" },
  {
    method: "POST",
    path: "/api/drift/ignore-rules",
    summary: "Add an ignore rule (path prefix or glob)",
    role: "admin",
    body: IgnoreRuleInput,
    success: [201],
  },
  {
    method: "PATCH",
    path: "/api/drift/ignore-rules/{id}",
    summary: "Change an ignore rule",
    role: "admin",
    params: IdParam,
    body: IgnoreRulePatch,
  },
  { method: "DELETE", path: "/api/drift/ignore-rules/{id}", summary: "Remove an ignore rule", role: "admin", params: IdParam },
  {
    method: "POST",
    path: "/api/drift/services/{name}/replace",
    summary: "Replace drifted containers: redeploy the live release, switch when healthy, retire the drifted ones",
    description: WAIT,
    role: "operator",
    params: ServiceParam,
    query: WaitQuery,
    body: EmptyBody,
    success: [200, 202],
  },

  {
    method: "GET",
    path: "/api/quarantines",
    summary: "Every quarantined container: deadline, warning, extensions, drift so far, forensics",
    role: "viewer",
  },
  {
    method: "POST",
    path: "/api/quarantines",
    summary:
      "Quarantine a release container: out of traffic (drained, then removed), replaced from its release, renamed, destroyed at its deadline",
    description: `Reason required; lifetimeS defaults to 24 h and may not pass SWITCHYARD_QUARANTINE_MAX_HOURS. ${WAIT}`,
    role: "operator",
    query: WaitQuery,
    body: QuarantineInput,
    success: [200, 202],
  },
  { method: "GET", path: "/api/quarantines/{id}", summary: "One quarantine with its extensions", role: "viewer", params: IdParam },
  {
    method: "POST",
    path: "/api/quarantines/{id}/extend",
    summary: "Extend the deadline by addS seconds (never past the maximum lifetime; recorded)",
    role: "operator",
    params: IdParam,
    body: ExtendInput,
  },
  {
    method: "POST",
    path: "/api/quarantines/{id}/cancel",
    summary: "Cancel self-destruct: keep the container with no deadline (reason required)",
    role: "admin",
    params: IdParam,
    body: CancelSelfDestructInput,
  },
  {
    method: "POST",
    path: "/api/quarantines/{id}/destroy",
    summary: "Destroy now: collect the forensic bundle, then stop and remove the container",
    role: "operator",
    params: IdParam,
    body: EmptyBody,
  },
  {
    method: "GET",
    path: "/api/quarantines/{id}/forensics",
    summary: "Download the forensic bundle (.tar.gz: inspect with secrets redacted, logs, changes, changed files up to the cap)",
    role: "operator",
    params: IdParam,
    produces: ["application/gzip"],
  },
  {
    method: "POST",
    path: "/api/quarantines/{id}/exec",
    summary: "Debug console: run one command in the quarantined container (argv, or a shell line run with sh -c); output streamed",
    description:
      "No TTY, no stdin; stdout and stderr demultiplexed; a time limit (timeoutS, 30 s by default) and an output cap. The answer streams one JSON object per line (start, output, end); the command, its output, exit code, duration, who and when go into the quarantine's transcript and forensic bundle. 409 unless the quarantine is active and its own operation has ended.",
    role: "operator",
    params: IdParam,
    body: ConsoleInput,
    produces: ["application/x-ndjson"],
  },
  {
    method: "GET",
    path: "/api/quarantines/{id}/transcript",
    summary: "The debug console's transcript: every command with its output (capped), exit code, duration, who and when",
    role: "operator",
    params: IdParam,
  },
  {
    method: "GET",
    path: "/api/hosts/{id}/containers/{container}/console",
    summary: "Whether the debug console may run in this container: its quarantine, or 409 saying why not (a live container never)",
    role: "operator",
    params: HostContainerParams,
  },
  {
    method: "POST",
    path: "/api/hosts/{id}/containers/{container}/console",
    summary: "Debug console by host and container: as /api/quarantines/{id}/exec, refused (409) unless the container is quarantined",
    role: "operator",
    params: HostContainerParams,
    body: ConsoleInput,
    produces: ["application/x-ndjson"],
  },
  { method: "GET", path: "/api/webhooks", summary: "List webhook endpoints with delivery counts (never their secrets)", role: "admin" },
  {
    method: "POST",
    path: "/api/webhooks",
    summary: "Add a webhook endpoint; the answer shows its signing secret (whsec_…) once",
    description:
      "Messages follow Standard Webhooks: headers webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256 over `id.timestamp.body`); the body carries a CDEvents event, old/new digests and changed spec fields.",
    role: "admin",
    body: WebhookInput,
    success: [201],
  },
  {
    method: "PATCH",
    path: "/api/webhooks/{id}",
    summary: "Change an endpoint's URL, events, description or enabled flag",
    role: "admin",
    params: IdParam,
    body: WebhookPatch,
  },
  { method: "DELETE", path: "/api/webhooks/{id}", summary: "Remove an endpoint with its delivery history", role: "admin", params: IdParam },
  {
    method: "GET",
    path: "/api/webhooks/{id}/deliveries",
    summary: "The endpoint's latest 100 deliveries with every attempt's status code or error",
    role: "admin",
    params: IdParam,
  },
  {
    method: "POST",
    path: "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    summary: "Send a delivered or failed message again (same webhook-id)",
    role: "admin",
    params: DeliveryParams,
    body: EmptyBody,
    success: [202],
  },

  {
    method: "GET",
    path: "/api/hosts/{id}/containers/{container}/logs",
    summary: "A container's log, live: server-sent events (stdout and stderr told apart), or a text download",
    description:
      "`{id}` is the host's id or name, `{container}` an ID or name. Events: `line` ({ stream, ts, text, container, host }, id = the engine timestamp, so Last-Event-ID resumes after it) and `status` (connected, lost with the reason, resumed, ended). `?format=text` downloads what is there now.",
    role: "operator",
    params: HostContainerParams,
    query: LogsQuery,
    produces: ["text/event-stream", "text/plain"],
  },
  {
    method: "GET",
    path: "/api/services/{name}/logs",
    summary:
      "A service's containers' logs merged (live, candidate, standby, quarantined), each line marked with its container; a line's event id is every container's last timestamp by short ID (`id=ts,…`), which Last-Event-ID resumes from",
    role: "operator",
    params: ServiceParam,
    query: LogsQuery,
    produces: ["text/event-stream", "text/plain"],
  },
];
