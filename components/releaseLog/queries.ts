"use client";
import { infiniteQueryOptions } from "@tanstack/react-query";
import type { ReleaseEvent } from "@/server/releaseLog/listEvents";
import { apiFetch } from "@/components/apiFetch";
import { eventsQuery, type LogFilterValues } from "./LogFilters";

/** /api/events: the key and the paged query (pages are cut by id, newest first). */
export const eventKeys = { all: ["events"] as const, list: (filters: LogFilterValues) => ["events", filters] as const };

export const eventsPagesQuery = (filters: LogFilterValues, pageSize: number) =>
  infiniteQueryOptions({
    queryKey: eventKeys.list(filters),
    queryFn: ({ pageParam }) =>
      apiFetch<{ events: ReleaseEvent[] }>(`/api/events?${eventsQuery(filters, { limit: pageSize, before: pageParam })}`),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.events.length === pageSize ? last.events.at(-1)?.id : undefined),
  });
