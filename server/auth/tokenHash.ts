import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "@/server/config";
import { dataDir } from "@/db/client";

let secret: Buffer | undefined;

/** The server secret: from SWITCHYARD_SESSION_SECRET, or generated once into the data directory. */
function serverSecret(): Buffer {
  if (secret) return secret;
  const fromEnv = config().SWITCHYARD_SESSION_SECRET;
  if (fromEnv) return (secret = Buffer.from(fromEnv));
  const file = path.join(dataDir(), "session-secret");
  fs.mkdirSync(dataDir(), { recursive: true });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return (secret = Buffer.from(fs.readFileSync(file, "utf8").trim()));
}

export function newToken(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(32).toString("base64url")}`;
}

/** Session ids and API tokens are stored only as this keyed hash. */
export function tokenHash(token: string): string {
  return crypto.createHmac("sha256", serverSecret()).update(token).digest("hex");
}
