/**
 * Failed-login limiter per (client IP) and per (username): a sliding window of
 * failures. Pure and in-memory; one dashboard process serves one database.
 */
export class LoginRateLimit {
  private failures = new Map<string, number[]>();
  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until this key may try again, 0 if allowed now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(key, recent);
    if (recent.length < this.maxFailures) return 0;
    return this.windowMs - (now - recent[0]!);
  }

  recordFailure(key: string, now = Date.now()): void {
    const list = this.failures.get(key) ?? [];
    list.push(now);
    this.failures.set(key, list);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
