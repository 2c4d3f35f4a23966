/** Shared with client components: no server imports here (the enum lists come from the schema's own file). */
import { OPERATION_KINDS, OPERATION_STATUSES } from "@/db/schema/enums";

export { OPERATION_KINDS, OPERATION_STATUSES };
export type OperationKind = (typeof OPERATION_KINDS)[number];
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
