import "server-only";
import type { ContainerSlot } from "./constants";
import { activeContainersOf, releaseWithStatus } from "./releaseRows";

/** Blue/green: the new release takes the colour the live one does not have. */
export function nextSlot(serviceId: number): ContainerSlot {
  const live = releaseWithStatus(serviceId, "live");
  if (!live) return "blue";
  const slot = activeContainersOf([live.id])[0]?.container.slot;
  return slot === "blue" ? "green" : "blue";
}
