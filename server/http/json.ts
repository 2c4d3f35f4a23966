/**
 * What a server value becomes after `JSON.stringify` + `JSON.parse` in the
 * browser: a Date arrives as its ISO string. Client code types API responses
 * as `Json<ServerView>` instead of keeping hand-copied shapes.
 */
export type Json<T> = T extends Date
  ? string
  : T extends (...args: never[]) => unknown
    ? never
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;
