/** What a traffic shift did (server/releases/shiftTraffic.ts); shared with the service page. No server imports. */

export type ShiftSide = "candidate" | "live";

export type ShiftServer = {
  name: string;
  side: ShiftSide;
  /** The weight HAProxy holds after the shift (0..256). */
  weight: number;
  /** Serving = HAProxy reports it UP and ready; only those count in the effective share. */
  serving: boolean;
};

export type LeftOutServer = { name: string; side: ShiftSide; reason: string };

/** The split HAProxy holds now (server/releases/currentShares.ts): shown on the service page, returned by a shift. */
export type LiveShares = {
  /** The candidate release, and the live one sharing the backend (null: none). */
  candidate: number;
  live: number | null;
  backend: string;
  /** The share recorded for the candidate (releases.traffic_share_percent). */
  targetPercent: number;
  /** The candidate's share the weights give among the servers HAProxy reports serving, in percent. */
  effectivePercent: number;
  servers: ShiftServer[];
  leftOut: LeftOutServer[];
};

export type ShiftOutcome = LiveShares & {
  operationId: number;
  service: string;
  previousPercent: number;
  ms: number;
};
