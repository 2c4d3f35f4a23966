import type { DeployStrategy } from "@/server/services/runtimeSpecInput";
import {
  DEFAULT_PIDS_LIMIT,
  HealthCheck,
  HttpHealthCheck,
  SECRET_MASK,
  type ServiceSpec,
  type ServiceSpecInput,
} from "@/server/services/serviceSpecInput";
import { rolloutFields, rolloutInput, type RolloutFields } from "./rolloutForm";

/** What the form edits: numbers stay strings until submit so half-typed values are not lost. */
export type PlacementRow = { host: string; enabled: boolean; replicas: string; registered: boolean };
export type EnvRow = {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  /** The server holds a secret value for this row (sent as the mask); empty value = keep it. */
  keepsStoredSecret: boolean;
  storedName: string;
};
/** Rows of the list fields; `key` is a stable React key and the handle field errors use ("volumes.<key>.target"). */
export type VolumeRow = { key: number; name: string; target: string; readOnly: boolean; noexec: boolean };
export type TmpfsRow = { key: number; target: string; sizeMb: string };
export type ExtraHostRow = { key: number; name: string; address: string };
export type LabelRow = { key: number; name: string; value: string };
export type SmokeRow = { key: number; path: string; expectStatus: string; bodyContains: string; timeoutMs: string };
export type HealthFields = {
  kind: HealthCheck["kind"];
  path: string;
  expectStatus: string;
  /** exec: one argument per line. */
  command: string;
  intervalMs: string;
  timeoutMs: string;
  healthyAfter: string;
  gateTimeoutS: string;
};

export type FormState = {
  name: string;
  image: string;
  placement: PlacementRow[];
  portMode: "env" | "publish";
  containerPort: string;
  health: HealthFields;
  env: EnvRow[];
  readOnlyRootFs: boolean;
  netBindService: boolean;
  pidsLimit: string;
  memoryMb: string;
  cpus: string;
  volumes: VolumeRow[];
  tmpfs: TmpfsRow[];
  /** One argument per line; empty = the image's default. */
  command: string;
  entrypoint: string;
  user: string;
  workingDir: string;
  stopGraceS: string;
  extraHosts: ExtraHostRow[];
  labels: LabelRow[];
  backend: string;
  previewBackend: string;
  /** existing: backends written in haproxy.cfg by hand; managed: Switchyard writes the frontend and backends. */
  routing: "existing" | "managed";
  managedBind: string;
  managedPreviewBind: string;
  managedMode: "http" | "tcp";
  autoSwitch: boolean;
  retireAfterS: string;
  strategy: DeployStrategy;
  rollout: RolloutFields;
  smoke: SmokeRow[];
};

/** Field errors keyed by a form path: "image", "health.path", "placement.<host>.replicas", "env.<key>.name", "volumes.<key>.target". */
export type FieldErrors = Record<string, string>;

export const HEALTH_DEFAULTS = HttpHealthCheck.parse({});

let nextKey = 1;
export const rowKey = () => nextKey++;
export function blankEnvRow(): EnvRow {
  return { key: rowKey(), name: "", value: "", secret: false, keepsStoredSecret: false, storedName: "" };
}
export const blankVolumeRow = (): VolumeRow => ({ key: rowKey(), name: "", target: "", readOnly: false, noexec: true });
export const blankTmpfsRow = (): TmpfsRow => ({ key: rowKey(), target: "", sizeMb: "64" });
export const blankExtraHostRow = (): ExtraHostRow => ({ key: rowKey(), name: "", address: "" });
export const blankLabelRow = (): LabelRow => ({ key: rowKey(), name: "", value: "" });
export const blankSmokeRow = (): SmokeRow => ({ key: rowKey(), path: "", expectStatus: "200", bodyContains: "", timeoutMs: "2000" });

const lines = (argv: string[] | null) => (argv ?? []).join("\n");
/** One argument per line, blank lines ignored; nothing = null (the image's default). */
function argv(text: string): string[] | null {
  const args = text
    .split("\n")
    .map((a) => a.trim())
    .filter(Boolean);
  return args.length ? args : null;
}

function healthFields(h: HealthCheck): HealthFields {
  return {
    kind: h.kind,
    path: h.kind === "http" ? h.path : HEALTH_DEFAULTS.path,
    expectStatus: String(h.kind === "http" ? h.expectStatus : HEALTH_DEFAULTS.expectStatus),
    command: h.kind === "exec" ? h.command.join("\n") : "",
    intervalMs: String(h.intervalMs),
    timeoutMs: String(h.timeoutMs),
    healthyAfter: String(h.healthyAfter),
    gateTimeoutS: String(h.gateTimeoutS),
  };
}

export function newServiceState(hostNames: string[]): FormState {
  return {
    name: "",
    image: "",
    placement: hostNames.map((host, i) => ({ host, enabled: i === 0, replicas: "1", registered: true })),
    portMode: "env",
    containerPort: "8000",
    health: healthFields(HEALTH_DEFAULTS),
    env: [],
    readOnlyRootFs: true,
    netBindService: false,
    pidsLimit: String(DEFAULT_PIDS_LIMIT),
    memoryMb: "",
    cpus: "",
    volumes: [],
    tmpfs: [],
    command: "",
    entrypoint: "",
    user: "",
    workingDir: "",
    stopGraceS: "",
    extraHosts: [],
    labels: [],
    backend: "",
    previewBackend: "",
    routing: "existing",
    managedBind: "",
    managedPreviewBind: "",
    managedMode: "http",
    autoSwitch: false,
    retireAfterS: "",
    strategy: "blue-green",
    rollout: rolloutFields(undefined),
    smoke: [],
  };
}

export function stateFromSpec(spec: ServiceSpec, hostNames: string[]): FormState {
  const placed = new Map(spec.placement.map((p) => [p.host, p.replicas]));
  const registered = hostNames.map((host) => ({
    host,
    enabled: placed.has(host),
    replicas: String(placed.get(host) ?? 1),
    registered: true,
  }));
  const unknown = spec.placement
    .filter((p) => !hostNames.includes(p.host))
    .map((p) => ({ host: p.host, enabled: true, replicas: String(p.replicas), registered: false }));
  return {
    name: spec.name,
    image: spec.image,
    placement: [...registered, ...unknown],
    portMode: spec.port.mode,
    containerPort: String(spec.port.containerPort),
    health: healthFields(spec.healthCheck),
    env: spec.env.map((e) => {
      const stored = e.secret && e.value === SECRET_MASK;
      return {
        ...blankEnvRow(),
        name: e.name,
        value: stored ? "" : e.value,
        secret: e.secret,
        keepsStoredSecret: stored,
        storedName: e.name,
      };
    }),
    readOnlyRootFs: spec.readOnlyRootFs,
    netBindService: spec.netBindService,
    pidsLimit: String(spec.limits.pids),
    memoryMb: spec.limits.memoryMb === undefined ? "" : String(spec.limits.memoryMb),
    cpus: spec.limits.cpus === undefined ? "" : String(spec.limits.cpus),
    volumes: spec.volumes.map((v) => ({ key: rowKey(), ...v })),
    tmpfs: spec.tmpfs.map((t) => ({ key: rowKey(), target: t.target, sizeMb: String(t.sizeMb) })),
    command: lines(spec.command),
    entrypoint: lines(spec.entrypoint),
    user: spec.user ?? "",
    workingDir: spec.workingDir ?? "",
    stopGraceS: spec.stopGraceS === null ? "" : String(spec.stopGraceS),
    extraHosts: spec.extraHosts.map((h) => ({ key: rowKey(), ...h })),
    labels: Object.entries(spec.labels).map(([name, value]) => ({ key: rowKey(), name, value })),
    backend: spec.haproxy?.managed ? "" : (spec.haproxy?.backend ?? ""),
    previewBackend: spec.haproxy?.managed ? "" : (spec.haproxy?.previewBackend ?? ""),
    routing: spec.haproxy?.managed ? "managed" : "existing",
    managedBind: spec.haproxy?.managed?.bind ?? "",
    managedPreviewBind: spec.haproxy?.managed?.previewBind ?? "",
    managedMode: spec.haproxy?.managed?.mode ?? "http",
    autoSwitch: spec.autoSwitch,
    retireAfterS: spec.retireAfterS === null ? "" : String(spec.retireAfterS),
    strategy: spec.strategy,
    rollout: rolloutFields(spec.rollout),
    smoke: spec.smoke.map((c) => ({
      key: rowKey(),
      path: c.path,
      expectStatus: String(c.expectStatus),
      bodyContains: c.bodyContains ?? "",
      timeoutMs: String(c.timeoutMs),
    })),
  };
}

/** "" → undefined (the schema default applies, or "required"); anything else → a number (NaN fails validation). */
function num(s: string): number | undefined {
  return s.trim() === "" ? undefined : Number(s);
}

function healthInput(h: HealthFields): NonNullable<ServiceSpecInput["healthCheck"]> {
  const timing = {
    intervalMs: num(h.intervalMs),
    timeoutMs: num(h.timeoutMs),
    healthyAfter: num(h.healthyAfter),
    gateTimeoutS: num(h.gateTimeoutS),
  };
  if (h.kind === "tcp") return { kind: "tcp", ...timing };
  if (h.kind === "exec")
    return {
      kind: "exec",
      command: h.command
        .split("\n")
        .map((a) => a.trim())
        .filter(Boolean),
      ...timing,
    };
  return { kind: "http", path: h.path.trim() || undefined, expectStatus: num(h.expectStatus), ...timing };
}

const isBlankEnv = (e: EnvRow) => e.name.trim() === "" && e.value === "" && !e.keepsStoredSecret;
const blank = (...fields: string[]) => fields.every((f) => f.trim() === "");

/** The rows that went into the input, in order: schema paths (volumes.1.target) map back to them. */
export type SubmittedRows = {
  placed: PlacementRow[];
  env: EnvRow[];
  volumes: VolumeRow[];
  tmpfs: TmpfsRow[];
  extraHosts: ExtraHostRow[];
  labels: LabelRow[];
  smoke: SmokeRow[];
};

/** The rows of a list field that are not left empty (empty rows are ignored on save). */
export function submittedRows(s: FormState): SubmittedRows {
  return {
    placed: s.placement.filter((p) => p.enabled),
    env: s.env.filter((e) => !isBlankEnv(e)),
    volumes: s.volumes.filter((v) => !blank(v.name, v.target)),
    tmpfs: s.tmpfs.filter((t) => !blank(t.target)),
    extraHosts: s.extraHosts.filter((h) => !blank(h.name, h.address)),
    labels: s.labels.filter((l) => !blank(l.name, l.value)),
    smoke: s.smoke.filter((c) => !blank(c.path, c.bodyContains)),
  };
}

/** The draft as the schema's input, plus the rows that went into it (to map error paths back). */
export function toSpecInput(s: FormState): { input: ServiceSpecInput; rows: SubmittedRows } {
  const rows = submittedRows(s);
  const { placed, env } = rows;
  const input = {
    name: s.name,
    image: s.image,
    placement: placed.map((p) => ({ host: p.host, replicas: num(p.replicas) ?? NaN })),
    // In publish mode the port matters, so an empty field is an error rather than the default.
    port: { mode: s.portMode, containerPort: s.portMode === "publish" ? (num(s.containerPort) ?? NaN) : num(s.containerPort) },
    healthCheck: healthInput(s.health),
    env: env.map((e) => ({ name: e.name.trim(), value: e.keepsStoredSecret && e.value === "" ? SECRET_MASK : e.value, secret: e.secret })),
    readOnlyRootFs: s.readOnlyRootFs,
    netBindService: s.netBindService,
    limits: { pids: num(s.pidsLimit), memoryMb: num(s.memoryMb), cpus: num(s.cpus) },
    // No backend: a service without routing (a worker, a database on a fixed host port).
    haproxy:
      s.routing === "managed"
        ? { managed: { bind: s.managedBind.trim(), previewBind: s.managedPreviewBind.trim() || undefined, mode: s.managedMode } }
        : s.backend.trim() || s.previewBackend.trim()
          ? { backend: s.backend.trim(), previewBackend: s.previewBackend.trim() || undefined }
          : undefined,
    autoSwitch: s.autoSwitch,
    retireAfterS: s.retireAfterS.trim() === "" ? null : Number(s.retireAfterS),
    strategy: s.strategy,
    rollout: rolloutInput(s.rollout),
    volumes: rows.volumes.map((v) => ({ name: v.name.trim(), target: v.target.trim(), readOnly: v.readOnly, noexec: v.noexec })),
    tmpfs: rows.tmpfs.map((t) => ({ target: t.target.trim(), sizeMb: num(t.sizeMb) })),
    command: argv(s.command),
    entrypoint: argv(s.entrypoint),
    user: s.user.trim() || null,
    workingDir: s.workingDir.trim() || null,
    stopGraceS: s.stopGraceS.trim() === "" ? null : Number(s.stopGraceS),
    extraHosts: rows.extraHosts.map((h) => ({ name: h.name.trim(), address: h.address.trim() })),
    labels: Object.fromEntries(rows.labels.map((l) => [l.name.trim(), l.value])),
    smoke: rows.smoke.map((c) => ({
      path: c.path.trim(),
      expectStatus: num(c.expectStatus),
      bodyContains: c.bodyContains === "" ? undefined : c.bodyContains,
      timeoutMs: num(c.timeoutMs),
    })),
  };
  return { input, rows };
}

/** What every section of the form receives. */
export type SectionProps = { state: FormState; update: (patch: Partial<FormState>) => void; errors: FieldErrors };
