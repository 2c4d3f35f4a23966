import { NextResponse } from "next/server";
import { route } from "@/server/http/route";
import { consoleResponse } from "@/server/quarantine/consoleResponse";
import { consoleTarget } from "@/server/quarantine/consoleTarget";
import { HostContainerParams } from "@/server/http/params";
import { ConsoleInput } from "@/server/quarantine/quarantineInput";
import { prepareConsoleCommand } from "@/server/quarantine/runConsoleCommand";

export const dynamic = "force-dynamic";

/** Whether the debug console may run in this container: its quarantine, or 409 saying why not. */
export const GET = route({ role: "operator", params: HostContainerParams }, ({ params }) => {
  const q = consoleTarget(params.id, params.container);
  return NextResponse.json({ quarantineId: q.id, name: q.quarantinedName, hostName: q.hostName });
});

/** A console command addressed by host and container: refused (409) unless the container is quarantined. */
export const POST = route({ role: "operator", params: HostContainerParams, body: ConsoleInput }, async ({ actor, params, body }) =>
  consoleResponse(await prepareConsoleCommand(actor, consoleTarget(params.id, params.container).id, body)),
);
