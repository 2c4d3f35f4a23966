/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { EVENT_OUTCOMES } from "@/db/schema/enums";

export { EVENT_OUTCOMES };
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** A key of an event's detail that only admins are shown (listEvents removes it for other roles). */
export const ADMIN_ONLY = "adminOnly";
