import { z } from "zod";
import { route } from "@/server/http/route";
import { ServiceParam } from "@/server/http/params";
import { exportService } from "@/server/services/exportImport";

const Query = z.object({ format: z.enum(["yaml", "json"]).default("yaml") }).strict();

/** The spec as a file (secret values masked). */
export const GET = route({ role: "viewer", params: ServiceParam, query: Query }, ({ params, query }) => {
  const { body, contentType } = exportService(params.name, query.format);
  return new Response(body, { headers: { "content-type": contentType, "content-disposition": `attachment; filename="${params.name}.${query.format}"` } });
});
