/** Inputs of the volume admin routes. zod only. */
import { z } from "zod";
import { ServiceName } from "@/server/services/serviceSpecInput";
import { VolumeName } from "@/server/services/runtimeSpecInput";

export const ServiceVolumeParams = z.object({ name: ServiceName, volume: VolumeName });
export const VolumeHostQuery = z
  .object({ host: z.string().min(1, "host: the host whose volume to delete, like ?host=alpha").max(64) })
  .strict();
