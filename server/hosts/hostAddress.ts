/** The address at which containers with host networking on this engine are reached. */
export function hostAddress(url: string): string {
  if (url.startsWith("unix://")) return "127.0.0.1";
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return "127.0.0.1";
  }
}
