import "server-only";
import { Prisma } from "../generated/prisma/client";
import type { ProjectionMessage } from "./apply-batch";
import { classifyFailure } from "./failure-classification";
import type { ProjectedEvent } from "./quote-read-model";
import { saveProjectedEvents } from "./read-model-store";

type Tx = Prisma.TransactionClient;

/** The events of one quote a batch is about to apply, in order, each with the read model it leads to. */
export interface QuotePlan {
  quoteId: string;
  steps: Array<{ message: ProjectionMessage; projected: ProjectedEvent }>;
}

export interface RefusedStep {
  quoteId: string;
  /** The message whose values the database refused. */
  culprit: ProjectionMessage;
  error: unknown;
  /** Later messages of the same quote in this batch, which now wait behind the culprit. */
  behind: ProjectionMessage[];
}

/** Writes every plan in one statement; a value the database refuses fails it (and the transaction). */
export const persistPlans = (tx: Tx, schema: string, plans: QuotePlan[]) => saveProjectedEvents(tx, schema, plans.map((plan) => plan.steps.map((step) => step.projected)));

let savepoints = 0;

/**
 * Runs `work` under a savepoint. A failure that is the data's fault is rolled back to the savepoint and returned,
 * and the transaction carries on; any other failure is thrown (the transaction is lost and will be retried).
 */
async function underSavepoint(tx: Tx, work: () => Promise<void>): Promise<{ refused: unknown } | null> {
  const name = Prisma.raw(`projection_${++savepoints}`);
  await tx.$executeRaw`SAVEPOINT ${name}`;
  try {
    await work();
  } catch (error) {
    if (classifyFailure(error).fault === "environment") throw error;
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT ${name}`;
    return { refused: error };
  }
  await tx.$executeRaw`RELEASE SAVEPOINT ${name}`;
  return null;
}

/**
 * Writes every plan in one go; when the database refuses a value (a data or constraint error), writes the quotes
 * apart instead, and for a quote that is refused, finds the first of its events the database will not take.
 * That event and the quote's later ones are removed from its plan and returned; everything else is written.
 */
export async function persistIsolatingRefusals(tx: Tx, schema: string, plans: QuotePlan[]): Promise<RefusedStep[]> {
  if (!(await underSavepoint(tx, () => persistPlans(tx, schema, plans)))) return [];
  const refusedSteps: RefusedStep[] = [];
  for (const plan of plans) {
    const whole = await underSavepoint(tx, () => persistPlans(tx, schema, [plan]));
    if (!whole) continue;
    // The longest prefix of the quote's events that the database accepts; the event after it is the culprit.
    let error = whole.refused;
    let accepted = plan.steps.length - 1;
    for (; accepted > 0; accepted--) {
      const prefix = await underSavepoint(tx, () => persistPlans(tx, schema, [{ ...plan, steps: plan.steps.slice(0, accepted) }]));
      if (!prefix) break;
      error = prefix.refused;
    }
    refusedSteps.push({ quoteId: plan.quoteId, culprit: plan.steps[accepted]!.message, error, behind: plan.steps.slice(accepted + 1).map((step) => step.message) });
    plan.steps = plan.steps.slice(0, accepted);
  }
  return refusedSteps;
}
