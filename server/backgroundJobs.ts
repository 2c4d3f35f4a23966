import "server-only";

const globalForJobs = globalThis as unknown as { switchyardJobs?: boolean };

/** Background loops that must run from server start, not from a page being open. */
export async function startBackgroundJobs(): Promise<void> {
  if (globalForJobs.switchyardJobs) return;
  globalForJobs.switchyardJobs = true;
}
