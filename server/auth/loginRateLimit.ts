/**
 * Failed-login limiter per (client IP) and per (username): a sliding window of
 * attempts. Pure and in-memory; one dashboard process serves one database.
 *
 * An attempt is counted when it starts (`begin`), before the password hash is
 * checked, and the check and the count happen in one synchronous step: so N
 * parallel wrong attempts cannot all pass the check while the first ones are
 * still hashing. A success clears the user's key and uncounts itself from the
 * IP's (`succeeded`), never the IP's earlier failures; a failure leaves the
 * attempt counted. Keys whose attempts have all expired are dropped, and the
 * number of keys is capped, so memory stays bounded under a spray of names.
 */
export class LoginRateLimit {
  private attempts = new Map<string, number[]>();
  private lastSweep = 0;
  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
    private readonly maxKeys = 50_000,
  ) {}

  /** The attempts of `key` still inside the window (and the key dropped when none are). */
  private recent(key: string, now: number): number[] {
    const list = this.attempts.get(key);
    if (!list) return [];
    const live = list.filter((t) => now - t < this.windowMs);
    if (live.length) this.attempts.set(key, live);
    else this.attempts.delete(key);
    return live;
  }

  /** Milliseconds until every key may try again, 0 if all may now. */
  retryAfterMs(keys: readonly string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const live = this.recent(key, now);
      if (live.length >= this.maxFailures) wait = Math.max(wait, this.windowMs - (now - live[live.length - this.maxFailures]!));
    }
    return wait;
  }

  /**
   * Counts one attempt for every key, unless one of them is at its limit:
   * then nothing is counted and the wait (ms) is returned. 0 means go ahead.
   */
  begin(keys: readonly string[], now = Date.now()): number {
    this.sweep(now);
    const wait = this.retryAfterMs(keys, now);
    if (wait > 0) return wait;
    for (const key of keys) {
      const list = this.attempts.get(key);
      if (list) list.push(now);
      else this.attempts.set(key, [now]);
    }
    return 0;
  }

  /**
   * A correct password: the `clear` keys start afresh (the user's); for the
   * `uncount` keys (the client IP) only this attempt, begun at `begunAt`,
   * stops counting. Clearing the IP too would let one valid account reset
   * the IP's count and spray passwords at other users without limit.
   */
  succeeded(clear: readonly string[], uncount: readonly string[] = [], begunAt?: number): void {
    for (const key of clear) this.attempts.delete(key);
    for (const key of uncount) {
      const list = this.attempts.get(key);
      const at = list ? list.lastIndexOf(begunAt ?? Number.NaN) : -1;
      if (list && at >= 0) list.splice(at, 1);
    }
  }

  /** How many keys are held (for tests of the memory bound). */
  size(): number {
    return this.attempts.size;
  }

  /** Drops expired keys at most once a window; past maxKeys, the oldest keys go first. */
  private sweep(now: number): void {
    if (now - this.lastSweep >= this.windowMs || this.attempts.size >= this.maxKeys) {
      this.lastSweep = now;
      for (const key of [...this.attempts.keys()]) this.recent(key, now);
    }
    // Map order is insertion order: the first keys are the oldest.
    for (const key of this.attempts.keys()) {
      if (this.attempts.size < this.maxKeys) break;
      this.attempts.delete(key);
    }
  }
}
