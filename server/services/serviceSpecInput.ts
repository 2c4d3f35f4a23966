/** The service spec: shared by the API, the service form, import/export and OpenAPI. zod only. */
import { z } from "zod";
import { checkRuntimeSpec, runtimeSpecFields } from "./runtimeSpecInput";
import { RolloutPlan } from "./rolloutSpecInput";
import { SmokeChecks } from "./smokeSpecInput";

export const ServiceName = z
  .string()
  .trim()
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "service name: 1-40 lowercase letters, digits or '-', not starting or ending with '-'");

const BackendName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "HAProxy backend: letters, digits, '_', '.', ':' or '-'");

export const ImageRepository = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
    "image repository like registry:5000/team/app, without tag or digest",
  );

export const EnvVar = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "env name: letters, digits and '_', not starting with a digit"),
    value: z.string().max(32_768),
    secret: z.boolean().default(false),
  })
  .strict();

export const RESERVED_ENV = ["PORT", "CONTAINER_NAME"] as const;

/** Timing shared by every kind of health check. */
const checkTiming = {
  intervalMs: z.number().int().min(100).max(60_000).default(500),
  timeoutMs: z.number().int().min(100).max(60_000).default(2000),
  /** Consecutive passing checks that make a new container healthy. */
  healthyAfter: z.number().int().min(1).max(20).default(2),
  /** How long a new container may take to become healthy before the deploy aborts. */
  gateTimeoutS: z.number().int().min(1).max(900).default(30),
};

/** A key another kind of check has (path on a tcp check...): say which kind takes it instead of just "unrecognized". */
const kindKeys = (kind: string, hint: string) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === "unrecognized_keys" ? `health check kind ${kind} ${hint}: remove ${(iss.keys ?? []).join(", ")}` : undefined;

/** GET `path` on the container's port; healthy when it answers `expectStatus`. The default: specs without `kind` are http. */
export const HttpHealthCheck = z
  .object(
    {
      kind: z.literal("http").default("http"),
      path: z
        .string()
        .regex(/^\/[\x21-\x7e]*$/, "health path must start with '/' and have no spaces")
        .default("/health"),
      expectStatus: z.number().int().min(100).max(599).default(200),
      ...checkTiming,
    },
    { error: kindKeys("http", "takes path and expectStatus") },
  )
  .strict();

/** Healthy when a TCP connection to the container's port opens within timeoutMs (a database, a non-HTTP server). */
export const TcpHealthCheck = z
  .object({ kind: z.literal("tcp"), ...checkTiming }, { error: kindKeys("tcp", "only connects to the port") })
  .strict();

/** Healthy when `command` run inside the container (Docker exec, no shell) exits 0 within timeoutMs, e.g. ["pg_isready"]. */
export const ExecHealthCheck = z
  .object(
    {
      kind: z.literal("exec"),
      command: z
        .array(
          z
            .string()
            .min(1, "exec check: empty argument")
            .max(4096)
            .regex(/^[^\0]*$/, "exec check: no NUL bytes"),
          {
            error: (iss) =>
              iss.input === undefined
                ? 'an exec health check needs command, a list like ["pg_isready"]'
                : "exec check command: a list of strings",
          },
        )
        .min(1, 'an exec health check needs command, a list like ["pg_isready"]')
        .max(64),
      ...checkTiming,
    },
    { error: kindKeys("exec", "runs command only") },
  )
  .strict();

export const HealthCheck = z.discriminatedUnion("kind", [HttpHealthCheck, TcpHealthCheck, ExecHealthCheck], {
  error: (iss) => (iss.code === "invalid_union" ? "health check kind: http (the default), tcp or exec" : undefined),
});
export type HealthCheck = z.infer<typeof HealthCheck>;

/** Default process limit of a release container (Docker's PidsLimit): stops a fork bomb taking the host down. */
export const DEFAULT_PIDS_LIMIT = 256;

/** Resource limits of each container; `pids` is Docker's PidsLimit, `memoryMb` its Memory, `cpus` its NanoCpus (unset: no limit). */
export const Limits = z
  .object({
    pids: z.number().int().min(16, "pids limit: at least 16").max(65_536).default(DEFAULT_PIDS_LIMIT),
    memoryMb: z.number().int().min(8, "memory limit: at least 8 MB").max(1_048_576, "memory limit: at most 1 TB").optional(),
    cpus: z.number().min(0.01, "cpu limit: at least 0.01").max(256, "cpu limit: at most 256").optional(),
  })
  .strict();

/** host:port HAProxy binds a managed frontend to: an IPv4 address or a bracketed IPv6 one, never a name (no DNS at reload). */
const BindAddress = z
  .string()
  .trim()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/, "bind: an IP address and port like 127.0.0.1:18200 or [::1]:18200")
  .refine((b) => {
    const port = Number(b.slice(b.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65535;
  }, "bind: port must be 1..65535");

/** Routing Switchyard writes itself: a frontend on `bind` (and `previewBind` for the candidate) with its own backends. */
export const ManagedRouting = z
  .object({
    bind: BindAddress,
    previewBind: BindAddress.optional(),
    /** http: HAProxy speaks HTTP (and checks the health path with option httpchk); tcp: it forwards bytes (databases, other protocols). */
    mode: z.enum(["http", "tcp"]).default("http"),
  })
  .strict();
export type ManagedRouting = z.infer<typeof ManagedRouting>;

/** The names of the backends (and frontends) Switchyard generates for a managed service; '.' never occurs in a service name. */
export function managedBackendNames(service: string): { backend: string; previewBackend: string } {
  return { backend: `sy-${service}`, previewBackend: `sy-${service}.preview` };
}

/** The port of a bind address ("127.0.0.1:18200" → 18200). */
export function bindPort(bind: string): number {
  return Number(bind.slice(bind.lastIndexOf(":") + 1));
}

type RoutingInput = { backend?: string; previewBackend?: string; managed?: ManagedRouting };
export type Routing = { backend: string; previewBackend?: string; managed?: ManagedRouting };

function checkRouting(name: string, h: RoutingInput, check: HealthCheck, ctx: z.RefinementCtx) {
  const issue = (path: string | string[], message: string) => ctx.addIssue({ code: "custom", path: ["haproxy", path].flat(), message });
  if (!h.managed) {
    if (!h.backend) issue("backend", "haproxy: name an existing backend, or choose managed routing with managed: { bind }");
    else if (h.previewBackend === h.backend) issue("previewBackend", "preview backend must differ from the live backend");
    return;
  }
  const names = managedBackendNames(name);
  if (h.backend !== undefined && h.backend !== names.backend)
    issue("backend", `managed routing names its backend ${names.backend}: leave backend out`);
  if (h.previewBackend !== undefined && (h.previewBackend !== names.previewBackend || !h.managed.previewBind))
    issue(
      "previewBackend",
      `managed routing names its preview backend ${names.previewBackend} (with previewBind): leave previewBackend out`,
    );
  if (h.managed.previewBind !== undefined && bindPort(h.managed.previewBind) === bindPort(h.managed.bind))
    issue(["managed", "previewBind"], "managed.previewBind must use another port than managed.bind");
  if (h.managed.mode === "tcp" && check.kind === "http")
    issue(["managed", "mode"], "managed.mode tcp needs a tcp or exec health check: HAProxy cannot run HTTP checks on a tcp backend");
}

/** Parsed routing with its backend names: a managed service's are generated, so every routing path works by backend name. */
function routingWithBackends(name: string, h: RoutingInput): Routing {
  if (!h.managed) return { backend: h.backend ?? "", ...(h.previewBackend ? { previewBackend: h.previewBackend } : {}) };
  const names = managedBackendNames(name);
  return { backend: names.backend, ...(h.managed.previewBind ? { previewBackend: names.previewBackend } : {}), managed: h.managed };
}

export const Placement = z.object({ host: z.string().min(1), replicas: z.number().int().min(1).max(20) }).strict();

export const ServiceSpec = z
  .object({
    name: ServiceName,
    image: ImageRepository,
    placement: z.array(Placement).min(1, "place the service on at least one host"),
    port: z
      .object({
        /** env: the container listens on the host port passed in $PORT (host networking). publish: Docker publishes containerPort on the host port (bridge networking). */
        mode: z.enum(["env", "publish"]).default("env"),
        containerPort: z.number().int().min(1).max(65535).default(8000),
      })
      .strict()
      .default({ mode: "env", containerPort: 8000 }),
    healthCheck: HealthCheck.default(HealthCheck.parse({})),
    env: z.array(EnvVar).max(200).default([]),
    readOnlyRootFs: z.boolean().default(true),
    /**
     * Containers start with every Linux capability dropped; this adds back
     * NET_BIND_SERVICE only, for an app that must listen below port 1024.
     */
    netBindService: z.boolean().default(false),
    limits: Limits.default(Limits.parse({})),
    /**
     * How HAProxy routes to the service; absent for a service without routing (a worker, a database on a fixed host port).
     * Either existing backends written in haproxy.cfg by hand (`backend`, `previewBackend`), or `managed`: Switchyard
     * writes the frontends and backends itself (named by managedBackendNames) into its include file.
     */
    haproxy: z
      .object({ backend: BackendName.optional(), previewBackend: BackendName.optional(), managed: ManagedRouting.optional() })
      .strict()
      .optional(),
    autoSwitch: z.boolean().default(false),
    /** HTTP checks on every candidate container before a Switch or a shift that raises its share (server/releases/smokeChecks.ts). */
    smoke: SmokeChecks,
    /** Seconds a standby release is kept before it is retired automatically; null keeps it until retired by hand. */
    retireAfterS: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .nullable()
      .default(null),
    /** Canary steps and the analysis gate (POST /api/services/{name}/rollout); absent: Switch only. */
    rollout: RolloutPlan.optional(),
    ...runtimeSpecFields,
  })
  .strict()
  .superRefine((s, ctx) => {
    checkRuntimeSpec(s, ctx);
    const hosts = s.placement.map((p) => p.host);
    if (new Set(hosts).size !== hosts.length) ctx.addIssue({ code: "custom", path: ["placement"], message: "each host may appear once" });
    const names = s.env.map((e) => e.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", path: ["env"], message: "env names must be unique" });
    for (const r of RESERVED_ENV) {
      if (names.includes(r)) ctx.addIssue({ code: "custom", path: ["env"], message: `${r} is set by Switchyard` });
    }
    if (s.rollout && !s.haproxy)
      ctx.addIssue({ code: "custom", path: ["rollout"], message: "a rollout shifts traffic: give the service an HAProxy backend" });
    if (s.rollout && s.strategy === "recreate") {
      ctx.addIssue({ code: "custom", path: ["rollout"], message: "a rollout runs old and new side by side: use strategy blue-green" });
    }
    if (s.haproxy) checkRouting(s.name, s.haproxy, s.healthCheck, ctx);
  })
  .transform(({ haproxy, ...rest }): typeof rest & { haproxy?: Routing } =>
    haproxy ? { ...rest, haproxy: routingWithBackends(rest.name, haproxy) } : rest,
  );
export type ServiceSpec = z.infer<typeof ServiceSpec>;
export type ServiceSpecInput = z.input<typeof ServiceSpec>;

/**
 * Deploy input, exactly one of: a tag (`1.1.0`), a full reference, or a digest; an earlier release number to
 * replay; or `specChange: true`, the live release's image digest with the service's current (edited) spec.
 */
export const DeployInput = z
  .object({
    image: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/@-]{0,254}$/, "image: a tag like 1.1.0, a reference like registry/app:1.1.0, or app@sha256:…")
      .optional(),
    replayRelease: z.number().int().positive().optional(),
    specChange: z.literal(true, "specChange: true or left out").optional(),
  })
  .strict()
  .refine(
    (d) => [d.image, d.replayRelease, d.specChange].filter(Boolean).length === 1,
    "give exactly one of image, replayRelease or specChange",
  );
export type DeployInput = z.infer<typeof DeployInput>;

export const SECRET_MASK = "********";
