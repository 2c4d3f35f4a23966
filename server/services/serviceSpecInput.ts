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
    /** The HAProxy backends that route to the service; absent for a service without routing (a worker, a database on a fixed host port). */
    haproxy: z.object({ backend: BackendName, previewBackend: BackendName.optional() }).strict().optional(),
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
    if (s.haproxy && s.haproxy.previewBackend === s.haproxy.backend) {
      ctx.addIssue({ code: "custom", path: ["haproxy", "previewBackend"], message: "preview backend must differ from the live backend" });
    }
  });
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
