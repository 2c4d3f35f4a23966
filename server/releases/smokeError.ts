import { AppError } from "@/server/errors";
import type { SmokeRun } from "./smokeView";

/** 409 whose envelope carries the results (server/http/errorResponse.ts): the failing responses, not just a message. */
export class SmokeChecksFailed extends AppError {
  constructor(
    message: string,
    readonly run: SmokeRun,
  ) {
    super("CONFLICT", message);
  }
}
