import { z } from "zod";

/** GET /api/services/{name}/traffic: how far back the charts reach (steps of 10 s, 30 s and 5 min). */
export const TrafficQuery = z.object({ range: z.enum(["15m", "1h", "24h"]).default("15m") }).strict();
export type TrafficQuery = z.infer<typeof TrafficQuery>;
