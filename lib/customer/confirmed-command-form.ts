/**
 * A customer's command that asks first (withdraw, delete my data), posted without JavaScript: the first post only
 * asks the customer to confirm; the second runs the command and shows the outcome page, or the same page again
 * saying why not. Posting the confirmation twice runs it once (the key comes from the quote and the version the
 * page showed).
 */
import "server-only";
import { redirect } from "next/navigation";
import type { AppError, Result } from "../cqrs/app-error";
import { rememberSavedVersion } from "./cookies";
import { formSubmissionKey } from "./form-submission-key";
import { quotePath } from "./wizard-steps";
import { readSubmission } from "./wizard-form-data";
import { CONFIRM_INTENT_FIELD, CONFIRM_INTENTS } from "./wizard-form-names";

/** Where such a form stands: asking to confirm, or refused and why. */
export interface ConfirmedCommandFormState {
  confirming: boolean;
  refusal: AppError | null;
}

const NOTHING_POSTED: ConfirmedCommandFormState = { confirming: false, refusal: null };

export interface ConfirmedCommand {
  /** The command's type, which names its idempotency key. */
  type: string;
  run(input: { quoteId: string; expectedVersion?: number; idempotencyKey: string }): Promise<Result<{ version: number }>>;
  /** The domain's refusal that means it was already done (a repeat from another tab): the outcome page, not an error. */
  alreadyDone: string;
}

export async function confirmedCommandForm(command: ConfirmedCommand, formData: FormData): Promise<ConfirmedCommandFormState> {
  const intent = formData.get(CONFIRM_INTENT_FIELD);
  if (intent === CONFIRM_INTENTS.ask) return { confirming: true, refusal: null };
  if (intent !== CONFIRM_INTENTS.confirm) return NOTHING_POSTED;
  const { quoteId, expectedVersion } = readSubmission(formData);
  const outcome = await command.run({ quoteId, expectedVersion, idempotencyKey: formSubmissionKey(command.type, quoteId, expectedVersion) });
  if (!outcome.ok) {
    if (outcome.error.kind === "domain" && outcome.error.code === command.alreadyDone) redirect(quotePath(quoteId, "submitted"));
    return { confirming: false, refusal: outcome.error };
  }
  await rememberSavedVersion(quoteId, outcome.value.version);
  redirect(quotePath(quoteId, "submitted"));
}
