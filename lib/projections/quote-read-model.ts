import "server-only";
import { evolve, initialQuoteState, type QuoteState, type RecordedEvent } from "../domain/quote";
import type { FunnelStep } from "../queries/contracts";
import { summarizeEvent } from "./timeline-summary";

/** The read side's view of one quote: the domain state plus what only the read side keeps. */
export interface QuoteReadModel {
  state: QuoteState;
  applicationNumberFailure: string | null;
  reachedSteps: FunnelStep[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  /** When the quote was referred, by an agent or the underwriting rules: the referred queue's order. */
  referredAt: string | null;
}

export interface TimelineEntry {
  eventId: string;
  quoteId: string;
  version: number;
  type: string;
  occurredAt: string;
  actor: RecordedEvent["actor"];
  summary: string;
}

export interface ProjectedEvent {
  model: QuoteReadModel;
  timelineEntry: TimelineEntry;
  /** Funnel steps this event made the quote reach for the first time. */
  reached: FunnelStep[];
}

const STEP_OF: Partial<Record<RecordedEvent["type"], FunnelStep>> = {
  QuoteStarted: "started",
  GeographicDetailsCaptured: "geographic",
  ContactDetailsCaptured: "contact",
  FamilyDetailsCaptured: "family",
  QuoteSubmitted: "submitted",
  QuoteExpired: "expired",
  QuoteRequoted: "requoted",
};

/** Why an event cannot be applied to the read model as it stands (a gap, or an event before QuoteStarted). */
export class ProjectionGapError extends Error {}

/**
 * Pure: the read model after one event. The caller has already skipped events at or below the model's version
 * (redeliveries); anything else out of sequence is a gap and refused.
 */
export function projectQuoteEvent(model: QuoteReadModel | null, event: RecordedEvent): ProjectedEvent {
  const current = model?.state ?? initialQuoteState;
  if (event.version !== current.version + 1) {
    throw new ProjectionGapError(`Quote ${event.quoteId}: event version ${event.version} does not follow ${current.version}`);
  }
  const state = evolve(current, event);
  const step = STEP_OF[event.type];
  const reachedSteps = model?.reachedSteps ?? [];
  const reached = step && !reachedSteps.includes(step) ? [step] : [];
  return {
    model: {
      state,
      applicationNumberFailure: event.type === "ApplicationNumberRequestFailed" ? event.data.reason : event.type === "ApplicationNumberAssigned" ? null : (model?.applicationNumberFailure ?? null),
      reachedSteps: [...reachedSteps, ...reached],
      createdAt: model?.createdAt ?? event.occurredAt,
      updatedAt: event.occurredAt,
      submittedAt: event.type === "QuoteSubmitted" ? event.occurredAt : (model?.submittedAt ?? null),
      referredAt: event.type === "QuoteReferred" || event.type === "QuoteReferredAutomatically" ? event.occurredAt : (model?.referredAt ?? null),
    },
    timelineEntry: {
      eventId: event.eventId,
      quoteId: event.quoteId,
      version: event.version,
      type: event.type,
      occurredAt: event.occurredAt,
      actor: event.actor,
      summary: summarizeEvent(event),
    },
    reached,
  };
}
