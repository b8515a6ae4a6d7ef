import "server-only";
import type { RecordedEvent } from "../domain/quote";
import { MessageRejectedError } from "./failure-classification";
import { projectQuoteEvent, type ProjectedEvent, type QuoteReadModel } from "./quote-read-model";

// Quote ids are lowercase v4 uuids (randomUUID); the read models key them as uuid columns.
const QUOTE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isQuoteId = (value: string): boolean => QUOTE_ID.test(value);

/**
 * Pure: what one message does to its quote's read model, or "redelivery" when the model already has it. Throws
 * when the message itself is unusable: a key that is no quote id, bytes that do not decode, an event of another
 * quote than its key, an event out of version order.
 */
export function projectMessage(model: QuoteReadModel | null, quoteId: string, decode: () => RecordedEvent): ProjectedEvent | "redelivery" {
  if (!isQuoteId(quoteId)) throw new MessageRejectedError(quoteId ? `the message key ${JSON.stringify(quoteId.slice(0, 80))} is not a quote id` : "the message has no key");
  const event = decode();
  if (event.quoteId !== quoteId) throw new MessageRejectedError(`the event is for quote ${JSON.stringify(String(event.quoteId).slice(0, 80))} but arrived under key ${quoteId}`);
  if (model && event.version <= model.state.version) return "redelivery";
  return projectQuoteEvent(model, event);
}
