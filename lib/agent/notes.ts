import "server-only";
import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import { fieldErrorsFrom, type Result } from "@/lib/cqrs/app-error";
import type { AgentSession } from "@/lib/auth/session";
import { message } from "@/lib/cqrs/message";
import { services } from "@/lib/services";
import { addQuoteNoteBodySchema } from "@/schemas/admin";
import type { CommandOptions } from "./decisions";

/** An agent adds a note to a quote: the body is {note}, at most MAX_NOTE_LENGTH characters once trimmed. */
export async function addQuoteNote(session: AgentSession, quoteId: string, body: unknown, options: CommandOptions = {}): Promise<Result<QuoteVersionResponse>> {
  const parsed = addQuoteNoteBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    return { ok: false, error: { kind: "validation", detail: "Check the note: some fields are not valid.", errors: fieldErrorsFrom(parsed.error.issues) } };
  }
  return services().commandBus.execute<QuoteVersionResponse>(message("AddQuoteNote", { quoteId, note: parsed.data.note }, { actor: session.actor, ...options }));
}
