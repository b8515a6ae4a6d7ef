/**
 * Agents' decisions on several quotes at once, as an asynchronous command: accepted (and acknowledged) at once, run
 * by the worker, followed by its id. The same calls whether they come from the admin pages or the agent API.
 */
import "server-only";
import type { CommandAccepted } from "@/lib/commands/bulk-decide-quotes";
import { BULK_DECIDE_QUOTES } from "@/lib/commands/bulk-decide-quotes";
import type { AgentSession } from "@/lib/auth/session";
import type { Result } from "@/lib/cqrs/app-error";
import { message } from "@/lib/cqrs/message";
import type { CommandBatchView } from "@/lib/queries/contracts";
import { services } from "@/lib/services";
import type { CommandOptions } from "./decisions";

/** Where the API answers a command's progress; the admin page of it is `/admin/commands/{id}`. */
export const commandStatusUrl = (commandId: string) => `/api/admin/commands/${commandId}`;
export const commandProgressPage = (commandId: string) => `/admin/commands/${commandId}`;

/** `body`: {decision, quoteIds, reason?}, validated by the command's schema on the bus. */
export function bulkDecideQuotes(session: AgentSession, body: unknown, options: Pick<CommandOptions, "idempotencyKey" | "correlationId"> = {}): Promise<Result<CommandAccepted>> {
  return services().commandBus.execute<CommandAccepted>(message(BULK_DECIDE_QUOTES, body, { actor: session.actor, ...options }));
}

export function commandBatch(session: AgentSession, commandId: string): Promise<Result<CommandBatchView>> {
  return services().queryBus.execute<CommandBatchView>(message("GetCommandBatch", { commandId }, { actor: session.actor }));
}
