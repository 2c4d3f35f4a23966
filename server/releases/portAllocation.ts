/** Picks `count` free ports in [from, to], skipping those in use; pure. */
export function allocatePorts(inUse: Set<number>, count: number, from = 20000, to = 29999, start = from): number[] {
  const out: number[] = [];
  const span = to - from + 1;
  for (let i = 0; i < span && out.length < count; i++) {
    const p = from + ((start - from + i) % span);
    if (!inUse.has(p)) out.push(p);
  }
  if (out.length < count) throw new Error(`no free ports left in ${from}-${to}`);
  return out;
}
