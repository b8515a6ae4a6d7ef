import type { Authorize } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { hasQuoteAccess } from "./quote-access";

export const anyone: Authorize<unknown> = async () => null;

/** A customer holding this quote's access token. Anyone else is told the quote does not exist (never whose it is). */
export const customerWithAccess =
  (db: PrismaClient): Authorize<{ quoteId: string }> =>
  async (command) => {
    const { actor, accessToken } = command.metadata;
    if (actor.kind === "customer" && (await hasQuoteAccess(db, command.payload.quoteId, accessToken))) return null;
    return { kind: "not_found", detail: `No quote ${command.payload.quoteId} for this access token.` };
  };

export const agentOnly: Authorize<unknown> = async (command) => {
  const { actor } = command.metadata;
  if (actor.kind === "agent") return null;
  if (actor.kind === "system") return { kind: "forbidden", detail: "Only an agent may do this." };
  return { kind: "unauthorized", detail: "Sign in as an agent to do this." };
};

export const systemOnly: Authorize<unknown> = async (command) =>
  command.metadata.actor.kind === "system" ? null : { kind: "forbidden", detail: "Only the platform itself may do this." };

export const agentOrSystem: Authorize<unknown> = async (command) =>
  command.metadata.actor.kind === "system" ? null : agentOnly(command);
