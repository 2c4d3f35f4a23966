import { DEFAULT_PIDS_LIMIT, HealthCheck, SECRET_MASK, type ServiceSpec, type ServiceSpecInput } from "@/server/services/serviceSpecInput";

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
export type HealthFields = { path: string; expectStatus: string; intervalMs: string; timeoutMs: string; healthyAfter: string; gateTimeoutS: string };

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
  backend: string;
  previewBackend: string;
  autoSwitch: boolean;
  retireAfterS: string;
};

/** Field errors keyed by a form path: "image", "health.path", "placement.<host>.replicas", "env.<key>.name". */
export type FieldErrors = Record<string, string>;

export const HEALTH_DEFAULTS = HealthCheck.parse({});

let nextKey = 1;
export function blankEnvRow(): EnvRow {
  return { key: nextKey++, name: "", value: "", secret: false, keepsStoredSecret: false, storedName: "" };
}

function healthFields(h: typeof HEALTH_DEFAULTS): HealthFields {
  return {
    path: h.path,
    expectStatus: String(h.expectStatus),
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
    backend: "",
    previewBackend: "",
    autoSwitch: false,
    retireAfterS: "",
  };
}

export function stateFromSpec(spec: ServiceSpec, hostNames: string[]): FormState {
  const placed = new Map(spec.placement.map((p) => [p.host, p.replicas]));
  const registered = hostNames.map((host) => ({ host, enabled: placed.has(host), replicas: String(placed.get(host) ?? 1), registered: true }));
  const unknown = spec.placement.filter((p) => !hostNames.includes(p.host)).map((p) => ({ host: p.host, enabled: true, replicas: String(p.replicas), registered: false }));
  return {
    name: spec.name,
    image: spec.image,
    placement: [...registered, ...unknown],
    portMode: spec.port.mode,
    containerPort: String(spec.port.containerPort),
    health: healthFields(spec.healthCheck),
    env: spec.env.map((e) => {
      const stored = e.secret && e.value === SECRET_MASK;
      return { ...blankEnvRow(), name: e.name, value: stored ? "" : e.value, secret: e.secret, keepsStoredSecret: stored, storedName: e.name };
    }),
    readOnlyRootFs: spec.readOnlyRootFs,
    netBindService: spec.netBindService,
    pidsLimit: String(spec.limits.pids),
    backend: spec.haproxy.backend,
    previewBackend: spec.haproxy.previewBackend ?? "",
    autoSwitch: spec.autoSwitch,
    retireAfterS: spec.retireAfterS === null ? "" : String(spec.retireAfterS),
  };
}

/** "" → undefined (the schema default applies, or "required"); anything else → a number (NaN fails validation). */
function num(s: string): number | undefined {
  return s.trim() === "" ? undefined : Number(s);
}

const isBlankEnv = (e: EnvRow) => e.name.trim() === "" && e.value === "" && !e.keepsStoredSecret;

/** The draft as the schema's input, plus the rows that went into it (to map error paths back). */
export function toSpecInput(s: FormState): { input: ServiceSpecInput; placed: PlacementRow[]; env: EnvRow[] } {
  const placed = s.placement.filter((p) => p.enabled);
  const env = s.env.filter((e) => !isBlankEnv(e));
  const input = {
    name: s.name,
    image: s.image,
    placement: placed.map((p) => ({ host: p.host, replicas: num(p.replicas) ?? NaN })),
    // In publish mode the port matters, so an empty field is an error rather than the default.
    port: { mode: s.portMode, containerPort: s.portMode === "publish" ? (num(s.containerPort) ?? NaN) : num(s.containerPort) },
    healthCheck: {
      path: s.health.path.trim() || undefined,
      expectStatus: num(s.health.expectStatus),
      intervalMs: num(s.health.intervalMs),
      timeoutMs: num(s.health.timeoutMs),
      healthyAfter: num(s.health.healthyAfter),
      gateTimeoutS: num(s.health.gateTimeoutS),
    },
    env: env.map((e) => ({ name: e.name.trim(), value: e.keepsStoredSecret && e.value === "" ? SECRET_MASK : e.value, secret: e.secret })),
    readOnlyRootFs: s.readOnlyRootFs,
    netBindService: s.netBindService,
    limits: { pids: num(s.pidsLimit) },
    haproxy: { backend: s.backend.trim(), previewBackend: s.previewBackend.trim() || undefined },
    autoSwitch: s.autoSwitch,
    retireAfterS: s.retireAfterS.trim() === "" ? null : Number(s.retireAfterS),
  };
  return { input, placed, env };
}

/** What every section of the form receives. */
export type SectionProps = { state: FormState; update: (patch: Partial<FormState>) => void; errors: FieldErrors };
