export const EVENT_OUTCOMES = ["ok", "failed", "info"] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** A key of an event's detail that only admins are shown (listEvents removes it for other roles). */
export const ADMIN_ONLY = "adminOnly";
