import { IdParam } from "@/server/http/params";
import { route } from "@/server/http/route";
import { assertMayReadServiceData } from "@/server/auth/serviceScope";
import { quarantineById } from "@/server/quarantine/quarantineRows";
import { forensicsDownload } from "@/server/quarantine/forensicsDownload";

export const dynamic = "force-dynamic";

/** The forensic bundle (.tar.gz): operators only, it holds logs and files copied out of the container. */
export const GET = route({ role: "operator", params: IdParam }, ({ params, actor }) => {
  assertMayReadServiceData(actor, quarantineById(params.id).serviceName, "a forensic bundle");
  return forensicsDownload(params.id);
});
