export const EVENT_OUTCOMES = ["ok", "failed", "info"] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];
