/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { EVENT_OUTCOMES } from "@/db/schema/enums";

export { EVENT_OUTCOMES };
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];
