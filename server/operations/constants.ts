export const OPERATION_KINDS = ["deploy", "redeploy", "switch", "rollback", "retire", "reconcile", "quarantine"] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];
export const OPERATION_STATUSES = ["running", "succeeded", "failed", "undone"] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];
export const STEP_STATUSES = ["running", "done", "failed", "undone"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
