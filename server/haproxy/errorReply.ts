import "server-only";

/**
 * Pure: is a runtime-API reply an error? HAProxy answers errors as plain text
 * (no status code), so we recognise the messages 2.6 prints for the commands
 * we use. Returns the error text, or null for a normal answer.
 */
const ERROR_REPLIES: RegExp[] = [
  /^No such /, // "No such server.", "No such backend."
  /^Unknown command/,
  /^Require '/, // "Require 'backend/server'."
  /^Server still has connections/,
  /^Only servers in maintenance mode/,
  /^Already exists a server/,
  /^Can't /, // "Can't find backend."
  /^Cannot /,
  /^Backend must use /, // dynamic servers need a dynamic LB algorithm
  /^Backend is using a static LB/,
  /^(Absolute|Relative) weight /,
  /^'[^']*' (expects|needs|only|cannot|not supported)/, // "'set server <srv> state' expects ..."
  /^unknown keyword /i,
  /^invalid /i,
  /^Permission denied/,
  /^Failed to /,
  /^Out of memory/i,
  /^Missing /,
  /^Error/,
  /, cannot (enable|disable|remove it)\.?$/, // "Health checks are not configured on this server, cannot enable."
];

export function haproxyErrorReply(reply: string): string | null {
  const text = reply.trim();
  const firstLine = text.split("\n", 1)[0] ?? "";
  if (!ERROR_REPLIES.some((re) => re.test(firstLine))) return null;
  // "Unknown command" is followed by a long list of suggestions: keep the first line only.
  return /^Unknown command/.test(firstLine) ? firstLine.replace(/,.*$/, "") : text;
}
