/** What an admin sends to add or change a webhook endpoint. Shared by the API, the form and OpenAPI: zod only. */
import { z } from "zod";
import { WEBHOOK_EVENTS } from "./constants";

const Url = z
  .string()
  .trim()
  .max(2000, "url: at most 2000 characters")
  .refine((u) => URL.canParse(u), "url: not a valid URL (e.g. https://hooks.example.com/switchyard)")
  .refine((u) => !URL.canParse(u) || ["http:", "https:"].includes(new URL(u).protocol), "url: must be http:// or https://")
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), "url: no user or password in the URL");

const Events = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `events: each one of ${WEBHOOK_EVENTS.join(", ")}` }))
  .min(1, "events: pick at least one event")
  .refine((list) => new Set(list).size === list.length, "events: each event once");

export const WebhookInput = z
  .object({
    url: Url,
    events: Events,
    description: z.string().trim().max(200, "description: at most 200 characters").optional(),
  })
  .strict();
export type WebhookInput = z.infer<typeof WebhookInput>;

export const WebhookPatch = z
  .object({
    url: Url.optional(),
    events: Events.optional(),
    description: z.string().trim().max(200).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: give url, events, description or enabled");
export type WebhookPatch = z.infer<typeof WebhookPatch>;

const Id = (name: string) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `${name} must be a positive integer`)
    .transform(Number);
export const DeliveryParams = z.object({ id: Id("id"), deliveryId: Id("deliveryId") });
