"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { bulkDecideQuotes, commandProgressPage } from "@/lib/agent/bulk-decisions";
import { agentForAction } from "@/lib/auth/server";
import type { CommandAccepted } from "@/lib/commands/bulk-decide-quotes";
import { HTTP_STATUS, type AppError } from "@/lib/cqrs/app-error";
import { IDEMPOTENCY_KEY_PATTERN } from "@/lib/http/request-metadata";
import { inSpan } from "@/lib/tracing/tracing";
import type { ActionResult } from "./actions";

/** What the quote list shows after a bulk decision posted without JavaScript was refused. */
export interface BulkDecisionFormState {
  reason: string;
  error: AppError | null;
}

const bulkInput = z.object({ decision: z.string(), quoteIds: z.array(z.string()), reason: z.string().optional() });

const bulkSpan = <T,>(count: number, work: () => Promise<T>) => inSpan("server action BulkDecideQuotes", { attributes: { "command.items": count } }, work);

/** Approve or refer the selected quotes (the list's script): queued at once; the answer is the command's id to follow. */
export async function bulkDecideAction(input: z.input<typeof bulkInput>): Promise<ActionResult<CommandAccepted>> {
  const check = await agentForAction();
  if (!check.ok) return { ok: false, status: HTTP_STATUS[check.error.kind], error: check.error };
  const parsed = bulkInput.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, error: { kind: "validation", detail: "The request was not understood.", errors: [] } };
  const result = await bulkSpan(parsed.data.quoteIds.length, () => bulkDecideQuotes(check.session, parsed.data));
  return result.ok ? result : { ok: false, status: HTTP_STATUS[result.error.kind], error: result.error };
}

/**
 * The list's bulk form posted before (or without) JavaScript: the button pressed names the decision, the ticked
 * boxes the quotes. Once queued, the command's progress page opens; a refusal is shown above the list.
 */
export async function bulkDecideWithForm(_previous: BulkDecisionFormState, formData: FormData): Promise<BulkDecisionFormState> {
  const reason = typeof formData.get("reason") === "string" ? (formData.get("reason") as string) : "";
  const check = await agentForAction();
  if (!check.ok) return { reason, error: check.error };
  const quoteIds = formData.getAll("quoteId").filter((value): value is string => typeof value === "string");
  const decision = formData.get("decision");
  const key = formData.get("idempotencyKey");
  const idempotencyKey = typeof key === "string" && IDEMPOTENCY_KEY_PATTERN.test(key) ? key : undefined;
  const result = await bulkSpan(quoteIds.length, () => bulkDecideQuotes(check.session, { decision: typeof decision === "string" ? decision : undefined, quoteIds, reason }, { idempotencyKey }));
  if (!result.ok) return { reason, error: result.error };
  redirect(commandProgressPage(result.value.commandId));
}
