import "server-only";
import type { RecordedEvent } from "../domain/quote";
import type { PrismaClient } from "../generated/prisma/client";
import { classifyFailure, describeError } from "./failure-classification";
import { GENERATION_SWITCH_LOCK } from "./generations";
import { isQuoteId, projectMessage } from "./project-message";
import { persistIsolatingRefusals, persistPlans, type QuotePlan } from "./quote-plan";
import { loadQuotes, lockCheckpoints, saveCheckpoints } from "./read-model-store";
import type { DataKeyring } from "../privacy/data-keyring";
import { dataKeyring } from "../privacy/configured-keyring";
import { openEvent } from "../privacy/event-sealing";

/** One message from either source: a Kafka record (offset) or an event-log row (global position). */
export interface ProjectionMessage {
  /** Checkpoint key: "kafka:<topic>:<partition>" or "postgres:events". */
  source: string;
  position: bigint;
  /** The Kafka key or the stream id, as text ("" when there is none); lets a broken message hold back only its own quote. */
  quoteId: string;
  /** The bytes as received, kept for the dead-letter topic and replay. */
  payload: Buffer;
  decode(): RecordedEvent;
}

export interface DeadLetter {
  message: ProjectionMessage;
  error: string;
}

export interface BatchOutcome {
  applied: number;
  skipped: number;
  parked: DeadLetter[];
  held: number;
  quoteIds: string[];
  /** Which messages were applied and which held, so that a batch of several callers' messages can be split. */
  appliedMessages: ProjectionMessage[];
  heldMessages: ProjectionMessage[];
}

/** The live generation changed under a live projector: it must move to the new generation's checkpoints. */
export class GenerationChangedError extends Error {}

export const READ_MODEL_CHANNEL = "read_model_changed";
export const HELD_REASON = "waiting behind an earlier message of this quote";

export const emptyOutcome = (): BatchOutcome => ({ applied: 0, skipped: 0, parked: [], held: 0, quoteIds: [], appliedMessages: [], heldMessages: [] });

/**
 * Applies a batch in ONE transaction together with the checkpoints of its sources, so every message takes effect
 * exactly once: messages at or below a checkpoint are skipped, and so is an event whose quote version the read
 * model already has (a redelivery). A message that is at fault (see `classifyFailure`) is parked as a dead letter
 * and its position passed; later messages of the same quote are held behind it, in order, until replay. A failure
 * of the environment (database unreachable, deadlock, ...) is thrown for the caller to retry the whole batch.
 */
export interface ApplyOptions {
  live: boolean;
  /**
   * "by position" (Kafka offsets): a message at or below its source's checkpoint was applied before, and the
   * checkpoint becomes the highest position. "as read" (the event log, read in commit order, where positions are
   * not monotonic): the reader already started after the checkpoint, redeliveries are caught by quote version,
   * and the checkpoint becomes the position of the last message.
   */
  order?: "by position" | "as read";
  /** Decrypts the events' personal values; the process's own by default. */
  keyring?: DataKeyring;
}

export async function applyBatch(db: PrismaClient, schema: string, messages: ProjectionMessage[], options: ApplyOptions): Promise<BatchOutcome> {
  try {
    return await applyInTransaction(db, schema, messages, options, { isolateRefusals: false, parkAll: null });
  } catch (error) {
    if (isRetriedByCaller(error)) throw error;
  }
  // The database refused a value: again, each write under a savepoint, so that only the refused quote waits.
  try {
    return await applyInTransaction(db, schema, messages, options, { isolateRefusals: true, parkAll: null });
  } catch (error) {
    if (isRetriedByCaller(error)) throw error;
    // The message's fault, but the transaction could not tell which message: narrow it down one by one.
    if (messages.length > 1) {
      const total = emptyOutcome();
      for (const message of messages) {
        const one = await applyBatch(db, schema, [message], options);
        total.applied += one.applied;
        total.skipped += one.skipped;
        total.parked.push(...one.parked);
        total.held += one.held;
        total.appliedMessages.push(...one.appliedMessages);
        total.heldMessages.push(...one.heldMessages);
        total.quoteIds.push(...one.quoteIds.filter((id) => !total.quoteIds.includes(id)));
      }
      return total;
    }
    return applyInTransaction(db, schema, messages, options, { isolateRefusals: true, parkAll: describeError(error) });
  }
}

const isRetriedByCaller = (error: unknown) => error instanceof GenerationChangedError || classifyFailure(error).fault === "environment";

type Letter = { message: ProjectionMessage; state: "parked" | "held"; error: string };

// PostgreSQL text cannot hold NUL, and a message may carry any bytes.
const storable = (text: string, max: number) => text.replaceAll("\u0000", "").slice(0, max);

/**
 * One attempt in one transaction; with `parkAll`, every fresh message is parked with that reason instead. Without
 * `isolateRefusals` the writes take no savepoints (two round trips fewer), so a refused value fails the attempt.
 */
async function applyInTransaction(db: PrismaClient, schema: string, messages: ProjectionMessage[], options: ApplyOptions, attempt: { isolateRefusals: boolean; parkAll: string | null }): Promise<BatchOutcome> {
  const { parkAll } = attempt;
  const outcome = emptyOutcome();
  if (messages.length === 0) return outcome;
  await db.$transaction(
    async (tx) => {
      // Held until commit: a rebuild cannot switch the live generation under this batch.
      if (options.live) await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${GENERATION_SWITCH_LOCK})`;
      const sources = [...new Set(messages.map((m) => m.source))].sort();
      const { checkpoints, activeGeneration } = await lockCheckpoints(tx, schema, sources);
      if (options.live && activeGeneration !== schema) throw new GenerationChangedError(`generation ${schema} is no longer active`);
      const asRead = options.order === "as read";
      const fresh = asRead ? messages : messages.filter((m) => m.position > checkpoints.get(m.source)!);
      outcome.skipped = messages.length - fresh.length;

      const quoteIds = [...new Set(fresh.map((m) => m.quoteId))].filter(isQuoteId);
      const { models, blocked } = await loadQuotes(tx, schema, quoteIds);
      const keyring = options.keyring ?? dataKeyring();
      const keys = await keyring.keys(quoteIds);
      const plans = new Map<string, QuotePlan>();
      const letters: Letter[] = [];

      for (const message of fresh) {
        if (parkAll !== null) {
          letters.push({ message, state: "parked", error: parkAll });
          continue;
        }
        if (blocked.has(message.quoteId)) {
          letters.push({ message, state: "held", error: HELD_REASON });
          continue;
        }
        const plan = plans.get(message.quoteId);
        const model = plan?.steps[plan.steps.length - 1]?.projected.model ?? models.get(message.quoteId) ?? null;
        let projected: ReturnType<typeof projectMessage>;
        try {
          projected = projectMessage(model, message.quoteId, () => openEvent(message.decode(), keys.get(message.quoteId) ?? null));
        } catch (error) {
          // Deciding what a message does touches nothing outside it: whatever fails here is the message's fault.
          letters.push({ message, state: "parked", error: describeError(error) });
          if (isQuoteId(message.quoteId)) blocked.add(message.quoteId);
          continue;
        }
        if (projected === "redelivery") {
          outcome.skipped++;
          continue;
        }
        if (projected.timelineEntry.type === "PersonalDataErased") keyring.forget(message.quoteId);
        if (plan) plan.steps.push({ message, projected });
        else plans.set(message.quoteId, { quoteId: message.quoteId, steps: [{ message, projected }] });
      }

      const refusals = attempt.isolateRefusals ? await persistIsolatingRefusals(tx, schema, [...plans.values()]) : await persistPlans(tx, schema, [...plans.values()]).then(() => []);
      for (const refused of refusals) {
        letters.push({ message: refused.culprit, state: "parked", error: `the read model refused it: ${describeError(refused.error)}` });
        for (const message of refused.behind) letters.push({ message, state: "held", error: HELD_REASON });
      }

      if (letters.length) {
        // In message order, so replay (which goes by id) applies each quote's letters in order.
        letters.sort((a, b) => (a.message.source === b.message.source ? Number(a.message.position - b.message.position) : a.message.source < b.message.source ? -1 : 1));
        await tx.projectionDeadLetter.createMany({
          data: letters.map(({ message, state, error }) => ({
            quoteId: storable(message.quoteId, 200),
            state,
            source: message.source,
            position: message.position,
            payload: new Uint8Array(message.payload),
            error: storable(error, 2000),
          })),
        });
      }
      const positions = new Map<string, bigint>();
      for (const source of sources) {
        const ofSource = messages.filter((m) => m.source === source);
        if (asRead) positions.set(source, ofSource[ofSource.length - 1]!.position);
        else {
          const last = ofSource.reduce((max, m) => (m.position > max ? m.position : max), -1n);
          if (last > checkpoints.get(source)!) positions.set(source, last);
        }
      }
      outcome.parked = letters.filter((l) => l.state === "parked").map(({ message, error }) => ({ message, error }));
      outcome.heldMessages = letters.filter((l) => l.state === "held").map(({ message }) => message);
      outcome.held = outcome.heldMessages.length;
      const changed = [...plans.values()].filter((plan) => plan.steps.length > 0);
      outcome.appliedMessages = changed.flatMap((plan) => plan.steps.map((step) => step.message));
      outcome.applied = outcome.appliedMessages.length;
      outcome.quoteIds = changed.map((plan) => plan.quoteId);
      // Read caches learn which quotes changed (delivered on commit), in the checkpoints' statement.
      const notify = options.live && changed.length ? { channel: READ_MODEL_CHANNEL, payload: changed.length > 50 ? "*" : outcome.quoteIds.join(",") } : null;
      await saveCheckpoints(tx, schema, positions, notify);
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
  return outcome;
}
