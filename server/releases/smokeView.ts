/** One smoke check against one candidate container (server/releases/smokeCheck.ts); shared with the service page. */
export type SmokeResult = {
  server: string;
  url: string;
  path: string;
  expectStatus: number;
  ok: boolean;
  /** null: no HTTP answer (refused, timed out). */
  status: number | null;
  /** The first 1 KB of the body. */
  body: string;
  latencyMs: number;
  /** Why it failed. */
  error?: string;
};

export type SmokeRun = { service: string; candidate: number; ranAt: string; passed: boolean; results: SmokeResult[] };
