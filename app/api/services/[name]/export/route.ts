import { route } from "@/server/http/route";
import { ExportQuery, ServiceParam } from "@/server/http/params";
import { exportService } from "@/server/services/exportImport";

/** The spec as a file (secret values masked). */
export const GET = route({ role: "viewer", params: ServiceParam, query: ExportQuery }, ({ params, query }) => {
  const { body, contentType } = exportService(params.name, query.format);
  return new Response(body, {
    headers: { "content-type": contentType, "content-disposition": `attachment; filename="${params.name}.${query.format}"` },
  });
});
