/**
 * Domain tests in the words of the rules: given(events).when(command).then(events) or .thenFails(code).
 * Uses node:assert, so it works with any test runner.
 */
import assert from "node:assert/strict";
import type { Actor } from "../actor";
import type { QuoteCommand } from "../commands";
import { decide, type DecideContext, type DecideResult } from "../decide";
import type { QuoteDomainError, QuoteErrorCode } from "../errors";
import type { QuoteEvent } from "../events";
import { foldQuote } from "../evolve";
import type { QuotePage } from "../state";

export const NOW = new Date("2026-11-26T10:00:00.000Z");
export const CUSTOMER: Actor = { kind: "customer" };
export const AGENT: Actor = { kind: "agent", agentId: "agent-42" };
export const SYSTEM: Actor = { kind: "system", name: "application-number-worker" };

export interface ErrorExpectation {
  /** Exact message, or a pattern it must match. */
  message?: string | RegExp;
  missing?: QuotePage[];
}

export interface Then {
  /** What decide returned, for assertions the helpers don't cover. */
  result: DecideResult;
  /** The command is accepted and records exactly these events (none for `then([])`). */
  then(expected: QuoteEvent[]): QuoteEvent[];
  /** The command is refused with this code; returns the error for further checks. */
  thenFails(code: QuoteErrorCode, expectation?: ErrorExpectation): QuoteDomainError;
}

export function given(history: readonly QuoteEvent[]) {
  return {
    when(command: QuoteCommand, context: Partial<DecideContext> = {}): Then {
      const state = foldQuote(history);
      const result = decide(command, state, { now: NOW, actor: CUSTOMER, ...context });
      return {
        result,
        then(expected) {
          if (!result.ok) assert.fail(`Expected events, got ${result.error.code}: ${result.error.message}`);
          assert.deepEqual(result.events, expected);
          // The new events must fold on top of the history (evolve is total, but this keeps the pair honest).
          assert.equal(foldQuote([...history, ...result.events]).version, history.length + result.events.length);
          return result.events;
        },
        thenFails(code, expectation = {}) {
          if (result.ok) {
            assert.fail(`Expected ${code}, got events ${JSON.stringify(result.events.map((e) => e.type))}`);
          }
          const { error } = result;
          assert.equal(error.code, code, `Expected ${code}, got ${error.code}: ${error.message}`);
          assert.ok(error.message.length > 0, "an error needs a message");
          if (typeof expectation.message === "string") assert.equal(error.message, expectation.message);
          if (expectation.message instanceof RegExp) assert.match(error.message, expectation.message);
          if (expectation.missing) assert.deepEqual(error.missing, expectation.missing);
          return error;
        },
      };
    },
  };
}
