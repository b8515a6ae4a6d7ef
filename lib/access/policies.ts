import "server-only";
import type { Authorize } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import type { CommandMetadata } from "../cqrs/command";
import { hasQuoteAccess, isWellFormedAccessRequest, settleAccess, type AccessPolicy } from "./quote-access";

/** Judges the token from the command's own read when it has one, else asks the database. */
async function hasAccess(db: PrismaClient, metadata: CommandMetadata, quoteId: unknown, token: string | undefined, policy: AccessPolicy) {
  if (!metadata.reads || !isWellFormedAccessRequest(quoteId, token)) return hasQuoteAccess(db, quoteId, token, policy);
  return settleAccess(db, (await metadata.reads()).access, quoteId as string, token, "device", policy);
}

export const anyone: Authorize<unknown> = async () => null;

/**
 * A customer holding this quote's access token. Runs before the payload is validated, so it reads the raw payload:
 * anyone else, whatever they sent, is told only that the quote does not exist (never whose it is, nor what was
 * wrong with their body).
 */
export const customerWithAccess =
  (db: PrismaClient, policy: AccessPolicy): Authorize<{ quoteId: string }> =>
  async (command) => {
    const { actor, accessToken } = command.metadata;
    const quoteId = (command.payload as { quoteId?: unknown } | null)?.quoteId;
    if (actor.kind === "customer" && (await hasAccess(db, command.metadata, quoteId, accessToken, policy))) return null;
    return { kind: "not_found", detail: "No such quote for this access token." };
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

/** Agents and the platform (retention) for any quote; a customer only for the quote their token opens. */
export const customerWithAccessOrStaff =
  (db: PrismaClient, policy: AccessPolicy): Authorize<{ quoteId: string }> =>
  async (command) =>
    command.metadata.actor.kind === "customer" ? customerWithAccess(db, policy)(command) : agentOrSystem(command);
