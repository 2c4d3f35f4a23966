import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { consoleResponse } from "@/server/quarantine/consoleResponse";
import { ConsoleInput } from "@/server/quarantine/quarantineInput";
import { prepareConsoleCommand } from "@/server/quarantine/runConsoleCommand";

export const dynamic = "force-dynamic";

/** Debug console: one command in the quarantined container, its output streamed (NDJSON) and appended to the transcript. */
export const POST = route({ role: "operator", params: IdParam, body: ConsoleInput }, async ({ actor, params, body }) =>
  consoleResponse(await prepareConsoleCommand(actor, params.id, body)),
);
