import "server-only";
import { ERASED, mapPersonalValues } from "../../domain/quote/personal-data";

/**
 * How many personal values of the event's data are still plain text, as events written before encryption hold them.
 * The erased marker is not counted: it is what an erased quote's plain values become, and holds nothing personal.
 */
export function plainValueCount(type: string, data: unknown): number {
  let count = 0;
  mapPersonalValues(type, data, (value) => {
    if (typeof value === "string" && value !== ERASED) count++;
    return value;
  });
  return count;
}

/** The data with every plain personal value replaced by the erased marker (sealed values stay: they decrypt nowhere). */
export const erasePlainValues = (type: string, data: unknown): unknown => mapPersonalValues(type, data, (value) => (typeof value === "string" ? ERASED : value));
