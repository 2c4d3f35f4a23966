import "server-only";
import net from "node:net";
import { allocatePorts } from "./portAllocation";

const FROM = 20000;
const TO = 29999;

function bindable(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, address, () => srv.close(() => resolve(true)));
  });
}

/**
 * `count` ports not used by Switchyard at this address; on a loopback address
 * (an engine on this machine) also free right now for any process.
 */
export async function freePorts(address: string, used: Set<number>, count: number): Promise<number[]> {
  const skip = new Set(used);
  const start = FROM + Math.floor(Math.random() * (TO - FROM));
  for (let attempt = 0; attempt < 50; attempt++) {
    const picked = allocatePorts(skip, count, FROM, TO, start);
    if (!address.startsWith("127.")) return picked;
    const ok = await Promise.all(picked.map((p) => bindable(address, p)));
    if (ok.every(Boolean)) return picked;
    picked.forEach((p, i) => !ok[i] && skip.add(p));
  }
  throw new Error(`no free ports in ${FROM}-${TO} at ${address}`);
}
