import "server-only";
import { z } from "zod";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { agentOrSystem } from "../access/policies";
import { deadLetterSummary, type DeadLetterSummary } from "../projections/parked-messages";
import { liveReadModels } from "./read-models";

/** Messages the projector could not apply in the live generation: counts and the most recent, for operators. */
export function listParkedMessages(deps: { db: PrismaClient }): QueryDefinition<Record<string, never>, DeadLetterSummary> {
  return {
    type: "ListParkedMessages",
    schema: z.object({}).strict(),
    authorize: agentOrSystem,
    handle: async () => ok(await deadLetterSummary(await liveReadModels(deps.db))),
  };
}
