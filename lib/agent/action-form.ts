import "server-only";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { AgentSession } from "@/lib/auth/session";
import type { AppError } from "@/lib/cqrs/app-error";
import { quoteIdSchema } from "@/schemas/quote-commands";
import { quoteView } from "./queries";

/** The hidden fields every form on an agent's quote page posts: which quote, at the version the agent saw. */
export const quoteFormInput = z.object({ quoteId: quoteIdSchema, version: z.coerce.number().int().nonnegative().optional() });

/** A text field of a posted form; undefined when absent or a file. */
export const formField = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : undefined;
};

/** The hidden fields as posted, parsed. */
export const parseQuoteForm = (formData: FormData) => quoteFormInput.safeParse({ quoteId: formField(formData, "quoteId"), version: formField(formData, "version") || undefined });

export const notUnderstood = (error: z.ZodError): AppError => ({ kind: "validation", detail: "The request was not understood.", errors: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });

/** Back to the quote's page once the read side has the write, so the page shows it. */
export async function showQuote(session: AgentSession, quoteId: string, version: number): Promise<never> {
  await quoteView(session, quoteId, version);
  redirect(`/admin/quotes/${encodeURIComponent(quoteId)}`);
}
