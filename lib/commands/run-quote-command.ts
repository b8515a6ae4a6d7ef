import "server-only";
import { DEFAULT_QUOTE_SETTINGS, changedSinceSeen, decide, evolve, foldQuote, retentionDeadline, type QuoteCommand, type QuoteDomainError, type QuoteEvent, type QuoteSettings, type QuoteState, type RecordedEvent } from "../domain/quote";
import { fail, ok, type AppError, type Result } from "../cqrs/app-error";
import type { Command } from "../cqrs/command";
import { ConcurrencyConflictError, IdempotencyReplayError } from "../eventstore/errors";
import type { AppendOptions, EventStore, ScheduledCommandInput } from "../eventstore/event-store";

export interface QuoteCommandDeps {
  store: EventStore;
  now: () => Date;
  /** Validity and underwriting, from the configuration; the domain's defaults when absent. */
  settings?: QuoteSettings;
}

const APPEND_ATTEMPTS = 3;

export type QuoteCommandOptions = Pick<AppendOptions, "schedule" | "grantAccess" | "createDataKey" | "destroyDataKey"> & {
  /** Commands to schedule that depend on what was decided (the expiry of a submitted quote), written with the events. */
  scheduleAfter?: (after: QuoteState, events: QuoteEvent[], now: Date) => ScheduledCommandInput[];
};

/** The erasure a change starts a retention period for (a new draft, a submitted quote's end), queued with its events. */
export function retentionSchedule(before: QuoteState, after: QuoteState, now: Date, settings: QuoteSettings = DEFAULT_QUOTE_SETTINGS): ScheduledCommandInput[] {
  const deadline = retentionDeadline(before, after, now, settings.retention);
  if (deadline === null) return [];
  return [{ type: "ApplyDataRetention", payload: { quoteId: after.quoteId!, ...deadline }, runAfter: new Date(deadline.dueAt) }];
}

export function domainErrorToAppError(error: QuoteDomainError): AppError {
  if (error.code === "QuoteNotFound") return { kind: "not_found", detail: error.message };
  if (error.code === "AgentRequired") return { kind: "unauthorized", detail: error.message };
  return { kind: "domain", code: error.code, detail: error.message, ...(error.missing ? { missing: [...error.missing] } : {}) };
}

/**
 * The life of every quote command (Emmett's shape): read the stream → fold → decide → append at the version read.
 * `respond` builds the response from the state after the new events; it is also what an idempotent repeat gets.
 *
 * The one concurrency rule: a command sent at an older version (If-Match) runs on the latest state unless something
 * it was based on changed since (the domain's changedSinceSeen); then it is refused with the latest answers. When
 * another write lands between our read and our append, the stream is read again and the rule applied again.
 */
export async function runQuoteCommand<Response>(
  deps: QuoteCommandDeps,
  command: Command<string, { quoteId: string }>,
  domainCommand: QuoteCommand,
  respond: (state: QuoteState, version: number) => Response,
  options: QuoteCommandOptions = {},
): Promise<Result<Response>> {
  for (let attempt = 1; ; attempt++) {
    // The first attempt decides on what the command's middleware already read; a retry reads the stream again.
    const history = attempt === 1 && command.metadata.reads ? (await command.metadata.reads()).events : await deps.store.readStream(command.payload.quoteId);
    const result = await decideAndAppend(deps, command, history, domainCommand, respond, options);
    if (result.ok || result.error.kind !== "conflict" || result.error.code !== "VersionConflict" || attempt >= APPEND_ATTEMPTS) return result;
  }
}

async function decideAndAppend<Response>(
  deps: QuoteCommandDeps,
  command: Command<string, { quoteId: string }>,
  history: RecordedEvent[],
  domainCommand: QuoteCommand,
  respond: (state: QuoteState, version: number) => Response,
  options: QuoteCommandOptions,
): Promise<Result<Response>> {
  const { quoteId } = command.payload;
  const { metadata } = command;
  const state = foldQuote(history);
  const seen = metadata.expectedVersion;
  if (seen !== undefined && seen !== state.version && changedSinceSeen(domainCommand, history, seen)) {
    const latest = { geographicDetails: state.geographicDetails, contactDetails: state.contactDetails, familyDetails: state.familyDetails };
    return fail({ kind: "precondition_failed", currentVersion: state.version, latest, detail: `This quote changed since you loaded it (you had version ${seen}, it is now at ${state.version}). Check the latest answers, then try again.` });
  }
  const now = deps.now();
  const decision = decide(domainCommand, state, { now, actor: metadata.actor, ...(deps.settings ? { settings: deps.settings } : {}) });
  if (!decision.ok) return fail(domainErrorToAppError(decision.error));

  const after = decision.events.reduce(evolve, state);
  const version = state.version + decision.events.length;
  const response = respond(after, version);
  const { scheduleAfter, ...appendOptions } = options;
  const schedule = [...(appendOptions.schedule ?? []), ...(scheduleAfter?.(after, decision.events, now) ?? []), ...retentionSchedule(state, after, now, deps.settings)];
  try {
    await deps.store.append(quoteId, state.version, decision.events, metadata, {
      ...appendOptions,
      schedule,
      now,
      idempotency: metadata.idempotency ? { ...metadata.idempotency, response } : undefined,
    });
  } catch (error) {
    if (error instanceof ConcurrencyConflictError) {
      return fail({ kind: "conflict", code: "VersionConflict", currentVersion: error.actualVersion, detail: "Someone else changed this quote at the same moment. Reload to see the latest, then try again." });
    }
    if (error instanceof IdempotencyReplayError) return fail({ kind: "conflict", code: "IdempotencyReplay", detail: "This request was already handled." });
    throw error;
  }
  return ok(response);
}
