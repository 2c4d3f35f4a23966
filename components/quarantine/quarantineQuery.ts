"use client";
import { apiFetch } from "@/components/apiFetch";
import type { QuarantineList } from "./types";

export type QuarantineData = QuarantineList & { /** server clock minus this browser's, for the countdowns */ offsetMs: number };

/** GET /api/quarantines, shared by the quarantine page and the Quarantine dialog (one cache entry). */
export const quarantinesQuery = {
  queryKey: ["quarantines"],
  queryFn: async (): Promise<QuarantineData> => {
    const sent = Date.now();
    const d = await apiFetch<QuarantineList>("/api/quarantines");
    return { ...d, offsetMs: d.now - Math.round((sent + Date.now()) / 2) };
  },
};
