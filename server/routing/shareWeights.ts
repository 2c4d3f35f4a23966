/**
 * Pure: per-server HAProxy weights that give the candidate exactly `percent` %
 * of a backend's requests, whatever the replica counts on each side.
 *
 * With `balance roundrobin` HAProxy sends each UP server a share of requests
 * proportional to its weight (0..256; the runtime API's `set server .. weight`).
 * So the candidate's share is Wc / (Wc + Wl), Wc and Wl being the SUMS of the
 * candidate and live weights. The servers of one side need not have equal
 * weights, which is what makes exact shares possible:
 *
 *   Wc / (Wc + Wl) = p / 100  ⇔  Wc · (100 − p) = Wl · p
 *   ⇔  Wc = k·a, Wl = k·b  with g = gcd(p, 100 − p), a = p / g, b = (100 − p) / g, k ≥ 1.
 *
 * k must keep each side within 256 per server: k·a ≤ 256·c and k·b ≤ 256·l
 * (c, l: server counts). k = 1 always fits (a, b ≤ 99), so every integer
 * percent is exact for any counts. Every server also gets traffic (weight ≥ 1)
 * when k ≥ ⌈c / a⌉ and k ≥ ⌈l / b⌉ fits too; that holds whenever the larger
 * side has at most ~2.5× the servers of the smaller one (the worst case is
 * p = 1 or 99, where a or b is 99: 99·c ≤ 256·l). Past that bound the side with
 * the SMALL share leaves some servers at weight 0 (e.g. 1 % on 5 candidates
 * against 1 live server: one candidate takes the 1 %, four idle), reported as
 * `idle` — the share stays exact. Within a side the total is spread as evenly
 * as integers allow (weights differ by at most 1); a k that splits evenly is
 * preferred when one fits.
 */

/** Weight of every live server when nothing is shifted, and of the candidate at 100 %: the routing default. */
export const FULL_WEIGHT = 100;
export const MAX_WEIGHT = 256;

export type ShareWeights = {
  /** One weight per candidate server, in the order given. */
  candidate: number[];
  /** One weight per live server, in the order given. */
  live: number[];
  /** The candidate's share these weights give, in percent (Wc / (Wc + Wl) · 100); equals the target unless a side has no server. */
  effectivePercent: number;
  /** Servers left at weight 0 although they are meant to serve (the integer bound above). */
  idle: { candidate: number; live: number };
};

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return x;
}

/** `total` spread over `count` servers, the first ones taking the remainder. */
function spread(total: number, count: number): number[] {
  const base = Math.floor(total / count);
  const extra = total - base * count;
  return Array.from({ length: count }, (_, i) => base + (i < extra ? 1 : 0));
}

function assertCount(what: string, n: number) {
  if (!Number.isInteger(n) || n < 0 || n > 4095) throw new RangeError(`${what}: ${n} is not an integer 0..4095`);
}

export function effectiveCandidatePercent(candidate: readonly number[], live: readonly number[]): number {
  const wc = candidate.reduce((s, w) => s + w, 0);
  const wl = live.reduce((s, w) => s + w, 0);
  return wc + wl === 0 ? 0 : (wc / (wc + wl)) * 100;
}

export function shareWeights(candidateServers: number, liveServers: number, percent: number): ShareWeights {
  assertCount("candidate servers", candidateServers);
  assertCount("live servers", liveServers);
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`share ${percent} is not an integer 0..100`);
  const c = candidateServers;
  const l = liveServers;
  const result = (candidate: number[], live: number[]): ShareWeights => ({
    candidate,
    live,
    effectivePercent: effectiveCandidatePercent(candidate, live),
    idle: {
      candidate: percent > 0 ? candidate.filter((w) => w === 0).length : 0,
      live: percent < 100 ? live.filter((w) => w === 0).length : 0,
    },
  });
  // The ends, and a side without servers: whole weights, nothing to divide. At 0 % the candidate only
  // sits in the backend (preview), as before any shift; with no live server a shifted candidate takes all.
  if (percent === 0 || c === 0) return result(Array<number>(c).fill(0), Array<number>(l).fill(FULL_WEIGHT));
  if (percent === 100 || l === 0) return result(Array<number>(c).fill(FULL_WEIGHT), Array<number>(l).fill(0));

  const g = gcd(percent, 100 - percent);
  const a = percent / g;
  const b = (100 - percent) / g;
  const kMax = Math.min(Math.floor((MAX_WEIGHT * c) / a), Math.floor((MAX_WEIGHT * l) / b));
  const kAllServe = Math.max(Math.ceil(c / a), Math.ceil(l / b));
  let k = Math.min(kAllServe, kMax);
  // Prefer the smallest k that also splits evenly on both sides (equal load per replica).
  for (let even = kAllServe; even <= kMax; even++) {
    if ((even * a) % c === 0 && (even * b) % l === 0) {
      k = even;
      break;
    }
  }
  return result(spread(k * a, c), spread(k * b, l));
}
