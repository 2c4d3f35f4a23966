import { route } from "@/server/http/route";
import { ContainerParams, FileQuery } from "@/server/drift/driftInput";
import { downloadChangedFile } from "@/server/drift/downloadChangedFile";

export const dynamic = "force-dynamic";

/** An added or changed file of the container, as a tar archive (read-only). */
export const GET = route({ role: "operator", params: ContainerParams, query: FileQuery }, async ({ params, query }) => {
  const { body, fileName } = await downloadChangedFile(params.host, params.container, query.path);
  return new Response(body, {
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": `attachment; filename="${fileName}"`,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
});
