/**
 * `SHA256SUMS` in the format `sha256sum` writes and `sha256sum -c` checks
 * (GNU coreutils): `<hex>  <name>` per line; a name with a backslash, newline
 * or carriage return is escaped (`\\`, `\n`, `\r`) and its line starts with a
 * backslash. No server imports: unit-tested against the real sha256sum.
 */
import { createHash } from "node:crypto";

export const sha256Hex = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

export function sha256SumsLine(name: string, data: Buffer): string {
  const escaped = name.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `${escaped === name ? "" : "\\"}${sha256Hex(data)}  ${escaped}\n`;
}

/** One line per file, in the order given. */
export function buildSha256Sums(files: readonly { name: string; data: Buffer }[]): string {
  return files.map((f) => sha256SumsLine(f.name, f.data)).join("");
}
