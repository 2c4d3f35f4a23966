/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { RELEASE_STATUSES, CONTAINER_SLOTS } from "@/db/schema/enums";

export { RELEASE_STATUSES, CONTAINER_SLOTS };
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export type ContainerSlot = (typeof CONTAINER_SLOTS)[number];
