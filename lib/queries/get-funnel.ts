import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { getFunnelPayloadSchema } from "../../schemas/queries";
import { agentOnly } from "../access/policies";
import { FUNNEL_STEPS, type FunnelResult, type FunnelStep, type GetFunnelParams } from "./contracts";
import { liveReadModels } from "./read-models";

const zero = (): Record<FunnelStep, number> => Object.fromEntries(FUNNEL_STEPS.map((step) => [step, 0])) as Record<FunnelStep, number>;

/** How many quotes reached each wizard step per day in the range (every day listed, empty ones as zeros). */
export function getFunnel(deps: { db: PrismaClient }): QueryDefinition<GetFunnelParams, FunnelResult> {
  return {
    type: "GetFunnel",
    schema: getFunnelPayloadSchema,
    authorize: agentOnly,
    async handle({ payload }) {
      const readModels = await liveReadModels(deps.db);
      const rows = await readModels.funnelCount.findMany({ where: { day: { gte: new Date(`${payload.from}T00:00:00Z`), lte: new Date(`${payload.to}T00:00:00Z`) } } });
      const byDay = new Map<string, Record<FunnelStep, number>>();
      for (let day = new Date(`${payload.from}T00:00:00Z`); day <= new Date(`${payload.to}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
        byDay.set(day.toISOString().slice(0, 10), zero());
      }
      const totals = zero();
      for (const row of rows) {
        const step = row.step as FunnelStep;
        byDay.get(row.day.toISOString().slice(0, 10))![step] += row.count;
        totals[step] += row.count;
      }
      return ok({ from: payload.from, to: payload.to, days: [...byDay].map(([day, counts]) => ({ day, counts })), totals });
    },
  };
}
