/**
 * The parts of the service spec that shape the container beyond image and
 * port: volumes, tmpfs, process (command, entrypoint, user, working dir),
 * /etc/hosts entries, user labels and the stop grace period. zod only, shared
 * with the form and OpenAPI like serviceSpecInput.ts.
 */
import { z } from "zod";

/** How a new release replaces the live one (see `strategy` below); shared with the form. */
export const DEPLOY_STRATEGIES = ["blue-green", "recreate"] as const;
export type DeployStrategy = (typeof DEPLOY_STRATEGIES)[number];

/**
 * An absolute, normalized container path: Docker joins it with nothing, so
 * `..`, `.`, `//` and a trailing `/` would name a different place than the
 * one shown. No ':' or ',' (they separate fields in Docker's mount strings).
 */
export const ContainerPath = z
  .string()
  .max(255, "path: at most 255 characters")
  .refine((p) => p.startsWith("/"), "path must be absolute (start with '/')")
  .refine((p) => /^[\x21-\x7e]*$/.test(p) && !/[:,]/.test(p), "path: printable characters without spaces, ':' or ','")
  .refine((p) => p === "/" || (!p.endsWith("/") && !p.includes("//")), "path must be normalized: no '//' and no trailing '/'")
  .refine((p) => !p.split("/").some((s) => s === ".." || s === "."), "path must be normalized: no '.' or '..' segments")
  .refine((p) => p !== "/", "path may not be the root '/'")
  .refine((p) => !["/proc", "/sys", "/dev"].some((r) => p === r || p.startsWith(`${r}/`)), "path may not be under /proc, /sys or /dev");

/** Whether `a` is `b` or a directory above or below it. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export const VolumeName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/, "volume name: 1-32 lowercase letters, digits or '-', not starting or ending with '-'");

export const VolumeSpec = z
  .object({
    name: VolumeName,
    target: ContainerPath,
    readOnly: z.boolean().default(false),
    /** Files in the volume cannot be executed (the volume is mounted through a noexec overlay: see server/volumes/volumeNames.ts). */
    noexec: z.boolean().default(true),
  })
  .strict();
export type VolumeSpec = z.infer<typeof VolumeSpec>;

export const TmpfsSpec = z
  .object({
    target: ContainerPath,
    sizeMb: z.number().int().min(1, "tmpfs size: at least 1 MB").max(4096, "tmpfs size: at most 4096 MB").default(64),
  })
  .strict();

const Argv = (field: string) =>
  z
    .array(z.string({ error: `${field}: each item must be a string` }).max(4096), {
      error: `${field} must be a list of strings, like ["nginx", "-g", "daemon off;"], or null`,
    })
    .min(1, `${field}: give at least one item, or null for the image's default`)
    .max(100)
    .nullable()
    .default(null);

export const ExtraHost = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/, "extra host name: letters, digits, '.' and '-'"),
    address: z.union([z.ipv4(), z.ipv6()], { error: "extra host address: an IPv4 or IPv6 address" }),
  })
  .strict();

/** The `switchyard.` prefix (and Switchyard's own `io.switchyard.`) names Switchyard's labels: a user label may not take it. */
export const RESERVED_LABEL_PREFIXES = ["switchyard.", "io.switchyard."] as const;

export const UserLabels = z
  .record(
    z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?$/, "label key: letters, digits, '.', '_', '/' or '-'"),
    z.string().max(1024, "label value: at most 1024 characters"),
  )
  .refine((l) => Object.keys(l).length <= 50, "at most 50 labels")
  .default({});

/** Spec fields merged into ServiceSpec. */
export const runtimeSpecFields = {
  volumes: z.array(VolumeSpec).max(10, "at most 10 volumes").default([]),
  tmpfs: z.array(TmpfsSpec).max(10, "at most 10 tmpfs mounts").default([]),
  command: Argv("command"),
  entrypoint: Argv("entrypoint"),
  user: z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/,
      "user: a name or uid, optionally ':group', like 65534:65534",
    )
    .nullable()
    .default(null),
  workingDir: ContainerPath.nullable().default(null),
  extraHosts: z.array(ExtraHost).max(50).default([]),
  labels: UserLabels,
  /** Seconds a container gets between SIGTERM and SIGKILL (Docker's StopTimeout); null: Switchyard's default of 5. */
  stopGraceS: z.number().int().min(0).max(600).nullable().default(null),
  /**
   * How a new release replaces the live one. blue-green: the new containers
   * start beside the live ones (both write a shared volume for a while);
   * recreate: the live containers stop first (kept, stopped, as the standby)
   * and the new ones start on the same ports and volumes (server/releases/recreateRelease.ts).
   */
  strategy: z.enum(DEPLOY_STRATEGIES, { error: "strategy: blue-green (the default) or recreate" }).default("blue-green"),
};

type RuntimeFields = {
  volumes: { name: string; target: string }[];
  tmpfs: { target: string }[];
  labels: Record<string, string>;
  extraHosts: { name: string }[];
};

/** Cross-field checks, with the field path of each problem. */
export function checkRuntimeSpec(s: RuntimeFields, ctx: z.RefinementCtx): void {
  const seenName = new Set<string>();
  const seenTarget = new Set<string>();
  s.volumes.forEach((v, i) => {
    if (seenName.has(v.name))
      ctx.addIssue({ code: "custom", path: ["volumes", i, "name"], message: `volume name "${v.name}" is used twice` });
    seenName.add(v.name);
    if (seenTarget.has(v.target))
      ctx.addIssue({ code: "custom", path: ["volumes", i, "target"], message: `volume target ${v.target} is used twice` });
    seenTarget.add(v.target);
    s.volumes.slice(0, i).forEach((o) => {
      if (o.target !== v.target && pathsOverlap(o.target, v.target))
        ctx.addIssue({
          code: "custom",
          path: ["volumes", i, "target"],
          message: `volume target ${v.target} overlaps volume "${o.name}" at ${o.target}`,
        });
    });
  });
  s.tmpfs.forEach((t, i) => {
    if (seenTarget.has(t.target))
      ctx.addIssue({ code: "custom", path: ["tmpfs", i, "target"], message: `tmpfs target ${t.target} is used twice` });
    seenTarget.add(t.target);
    for (const v of s.volumes) {
      if (pathsOverlap(t.target, v.target))
        ctx.addIssue({
          code: "custom",
          path: ["tmpfs", i, "target"],
          message: `tmpfs ${t.target} may not be on, under or over volume "${v.name}" at ${v.target}`,
        });
    }
    s.tmpfs.slice(0, i).forEach((o) => {
      if (o.target !== t.target && pathsOverlap(o.target, t.target))
        ctx.addIssue({ code: "custom", path: ["tmpfs", i, "target"], message: `tmpfs ${t.target} overlaps tmpfs ${o.target}` });
    });
  });
  for (const key of Object.keys(s.labels)) {
    if (RESERVED_LABEL_PREFIXES.some((p) => key.toLowerCase().startsWith(p)))
      ctx.addIssue({ code: "custom", path: ["labels", key], message: `label ${key}: the "switchyard." prefix is reserved for Switchyard` });
  }
  const hosts = s.extraHosts.map((h) => h.name.toLowerCase());
  if (new Set(hosts).size !== hosts.length)
    ctx.addIssue({ code: "custom", path: ["extraHosts"], message: "each extra host name may appear once" });
}
