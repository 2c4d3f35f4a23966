import "server-only";

const globalForOps = globalThis as unknown as { switchyardOps?: Map<number, Promise<void>> };
const inFlight = (globalForOps.switchyardOps ??= new Map());

/** Keeps the promise of an operation run by this process, so callers can wait for it. */
export function trackOperation(opId: number, run: Promise<void>): Promise<void> {
  const p = run.catch((err) => console.error(`[switchyard] operation ${opId} crashed:`, err)).finally(() => inFlight.delete(opId));
  inFlight.set(opId, p);
  return p;
}

export function isTracked(opId: number): boolean {
  return inFlight.has(opId);
}

/** Like trackOperation, for operations whose caller awaits the result (switch, retire): errors reach the caller. */
export function trackAwaited<T>(opId: number, run: Promise<T>): Promise<T> {
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(opId, settled);
  void settled.finally(() => inFlight.delete(opId));
  return run;
}
