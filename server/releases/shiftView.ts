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

export type ShiftOutcome = {
  operationId: number;
  service: string;
  /** The candidate release that was shifted, and the live one sharing the backend (null: none). */
  candidate: number;
  live: number | null;
  targetPercent: number;
  previousPercent: number;
  /** The candidate's share the weights give among the servers HAProxy reports serving, in percent. */
  effectivePercent: number;
  servers: ShiftServer[];
  leftOut: LeftOutServer[];
  ms: number;
};
