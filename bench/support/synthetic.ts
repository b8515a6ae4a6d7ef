/**
 * Synthetic but valid quote streams for the benchmarks: each quote is StartQuote → three pages → SubmitQuote, run
 * through the real decide/evolve, so every event is one the app itself would have recorded (and projects cleanly).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { decide, evolve, initialQuoteState, type QuoteCommand, type QuoteState, type RecordedEvent } from "../../lib/domain/quote";
import { sealEvent } from "../../lib/privacy/event-sealing";

const PLACES = [
  { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" },
  { country: "US", state: "NY", city: "New York", zipCode: "10001" },
  { country: "US", state: "TX", city: "Austin", zipCode: "73301" },
  { country: "CA", state: "ON", city: "Ottawa", zipCode: "K1A 0B1" },
  { country: "GB", state: "ENG", city: "London", zipCode: "SW1A 1AA" },
] as const;

export const EVENTS_PER_QUOTE = 5;

/** `quotes` complete quotes, EVENTS_PER_QUOTE events each, in stream order. */
export function syntheticQuotes(quotes: number, now = new Date()): RecordedEvent[][] {
  const streams: RecordedEvent[][] = [];
  for (let i = 0; i < quotes; i++) {
    const quoteId = randomUUID();
    const place = PLACES[i % PLACES.length]!;
    const commands: QuoteCommand[] = [
      { type: "StartQuote", quoteId },
      { type: "CaptureGeographicDetails", quoteId, details: { ...place } },
      { type: "CaptureContactDetails", quoteId, details: { email: `bench-${i}@example.com`, phoneNumber: "+1 415 555 0100" } },
      { type: "CaptureFamilyDetails", quoteId, details: { numberOfDependents: i % 5, ...(i % 2 ? { spouseName: "Grace" } : {}), childrenNames: ["Alan", "Barbara", "Claude", "Dana"].slice(0, i % 5) } },
      { type: "SubmitQuote", quoteId },
    ] as QuoteCommand[];
    let state: QuoteState = initialQuoteState;
    const stream: RecordedEvent[] = [];
    const correlationId = randomUUID();
    for (const command of commands) {
      const decision = decide(command, state, { now, actor: { kind: "customer" } });
      if (!decision.ok) throw new Error(`synthetic quote ${i}: ${command.type} refused: ${decision.error.message}`);
      for (const event of decision.events) {
        const recorded = {
          ...event,
          eventId: randomUUID(),
          quoteId,
          version: state.version + 1,
          occurredAt: now.toISOString(),
          correlationId,
          causationId: null,
          actor: { kind: "customer" },
        } as RecordedEvent;
        state = evolve(state, recorded);
        stream.push(recorded);
      }
    }
    streams.push(stream);
  }
  return streams;
}

/**
 * The same quotes as the event store writes them: personal values sealed under a data key of the quote's own (a
 * random one: the relay and the codec copy sealed values as they are and never read the keys).
 */
export function sealedSyntheticQuotes(quotes: number, now = new Date()): RecordedEvent[][] {
  return syntheticQuotes(quotes, now).map((stream) => {
    const key = randomBytes(32);
    return stream.map((event) => sealEvent(event, key, event.quoteId));
  });
}
