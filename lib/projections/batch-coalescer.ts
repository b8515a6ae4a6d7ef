import "server-only";
import type { BatchOutcome, ProjectionMessage } from "./apply-batch";

type Apply = (schema: string, messages: ProjectionMessage[]) => Promise<BatchOutcome>;

interface Waiting {
  messages: ProjectionMessage[];
  resolve(outcome: BatchOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit for the partitions a consumer applies at once: the calls that arrive in the same turn of the event
 * loop (the batches of one fetch), or while a transaction is running, go together in ONE transaction (the batch holds
 * each partition's checkpoint). Nothing waits longer than the transaction before it; under load the transactions,
 * and their round trips, are fewer. Each caller gets the outcome of its own messages; a
 * failure of the shared transaction fails every caller in it, and each retries.
 */
export function createBatchCoalescer(apply: Apply): Apply {
  const waiting = new Map<string, Waiting[]>();
  const running = new Set<string>();

  async function drain(schema: string) {
    try {
      for (let group = waiting.get(schema); group?.length; group = waiting.get(schema)) {
        waiting.delete(schema);
        try {
          const outcome = await apply(schema, group.flatMap((call) => call.messages));
          for (const call of group) call.resolve(group.length === 1 ? outcome : outcomeOf(outcome, call.messages));
        } catch (error) {
          for (const call of group) call.reject(error);
        }
      }
    } finally {
      running.delete(schema);
    }
  }

  return (schema, messages) =>
    new Promise<BatchOutcome>((resolve, reject) => {
      const group = waiting.get(schema) ?? [];
      group.push({ messages, resolve, reject });
      waiting.set(schema, group);
      if (running.has(schema)) return;
      // Started on the next turn of the event loop: the batches of one fetch reach here a few microtasks apart,
      // and all of them go in the first transaction.
      running.add(schema);
      setImmediate(() => void drain(schema));
    });
}

/** The part of a shared batch's outcome that concerns these messages. */
export function outcomeOf(outcome: BatchOutcome, messages: ProjectionMessage[]): BatchOutcome {
  const mine = new Set(messages);
  const appliedMessages = outcome.appliedMessages.filter((message) => mine.has(message));
  const heldMessages = outcome.heldMessages.filter((message) => mine.has(message));
  const parked = outcome.parked.filter(({ message }) => mine.has(message));
  return {
    applied: appliedMessages.length,
    held: heldMessages.length,
    parked,
    skipped: messages.length - appliedMessages.length - heldMessages.length - parked.length,
    quoteIds: [...new Set(appliedMessages.map((message) => message.quoteId))],
    appliedMessages,
    heldMessages,
  };
}
