/** One error type for the domain; server/http/errorResponse.ts maps it to HTTP. */
export const ERROR_CODES = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNPROCESSABLE: 422,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string) => new AppError("CONFLICT", message);
export const invalid = (message: string, details?: unknown) => new AppError("VALIDATION", message, details);

/** What a lookup that throws NOT_FOUND finds, or undefined when the row is not there (other errors still throw). */
export function ifFound<T>(find: () => T): T | undefined {
  try {
    return find();
  } catch (err) {
    if (err instanceof AppError && err.code === "NOT_FOUND") return undefined;
    throw err;
  }
}

/** The message of anything thrown: an Error's message, a thrown string itself, anything else as text. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === "string") return err;
  return String(err);
}
