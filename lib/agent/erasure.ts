import "server-only";
import type { ErasureResponse } from "@/lib/commands/quote-commands";
import { fieldErrorsFrom, type Result } from "@/lib/cqrs/app-error";
import type { AgentSession } from "@/lib/auth/session";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";
import { eraseQuoteBodySchema } from "@/schemas/quote";
import type { CommandOptions } from "./decisions";

/** An agent erases a quote's personal data (the customer asked them to): the body needs a reason. */
export async function eraseQuoteAsAgent(session: AgentSession, quoteId: string, body: unknown, options: CommandOptions = {}): Promise<Result<ErasureResponse>> {
  const parsed = eraseQuoteBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    return { ok: false, error: { kind: "validation", detail: "Check the request: some fields are not valid.", errors: fieldErrorsFrom(parsed.error.issues) } };
  }
  return services().commandBus.execute<ErasureResponse>(message("EraseQuotePersonalData", { quoteId, ...parsed.data }, { actor: session.actor, ...options }));
}
