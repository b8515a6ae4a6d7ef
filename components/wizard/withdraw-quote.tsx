"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { toast } from "../toasts/toast";
import { withdrawQuote, withdrawQuoteForm, type WithdrawQuoteFormState } from "@/app/(customer)/_actions/withdraw-quote";
import type { DecisionResponse } from "@/lib/commands/quote-commands";
import type { AppError } from "@/lib/cqrs/app-error";
import { quotePath } from "@/lib/customer/wizard-steps";
import { WITHDRAW_INTENT_FIELD, WITHDRAW_INTENTS } from "@/lib/customer/wizard-form-names";
import { callServer, describeSaveError, outcomeKnown, refusalError, RefusedError } from "./errors";
import { quoteKey, rememberVersion, type CachedQuote } from "./quote-cache";
import { SubmissionFields } from "./submission-fields";
import { useQuote } from "./use-quote";
import { useSubmissionKey } from "./use-submission-key";
import { useWizard } from "./wizard-context";

const NOTHING_POSTED: WithdrawQuoteFormState = { confirming: false, refusal: null };

/** The statuses a customer may still withdraw from: not yet approved or rejected (a referral is not a decision). */
const WITHDRAWABLE = new Set(["draft", "submitted", "referred"]);

/** Why the quote was not withdrawn, in the page's own words (a toast says it too once JavaScript runs). */
function refusalText(error: AppError | null): string | null {
  if (!error) return null;
  if (error.kind === "domain") return error.detail;
  const { title, description } = describeSaveError(new RefusedError(error));
  return `${title}. ${description}`;
}

/**
 * "Withdraw this quote", under the review page and the outcome page while no agent has approved or rejected it.
 * The first button only asks to confirm; "Yes, withdraw it" withdraws. Without JavaScript each is a form post to a
 * server action; with it, a mutation with a toast, and the outcome page shows "Withdrawn".
 */
export function WithdrawQuote({ initialQuote }: { initialQuote: CachedQuote }) {
  const { quoteId, noteOwnWrite } = useWizard();
  const router = useRouter();
  const queryClient = useQueryClient();
  const quote = useQuote(initialQuote);
  const submission = useSubmissionKey();
  const [posted, postForm] = useActionState(withdrawQuoteForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const key = quoteKey(quoteId);

  const mutation = useMutation<DecisionResponse, Error, { seenVersion: number; idempotencyKey: string }>({
    mutationKey: ["withdraw", quoteId],
    mutationFn: async ({ seenVersion, idempotencyKey }) => {
      const result = await callServer(() => withdrawQuote({ quoteId, expectedVersion: seenVersion, idempotencyKey }));
      if (!result.ok) throw refusalError(result.error);
      return result.value;
    },
    onError: (error) => {
      const { title, description } = describeSaveError(error);
      const refused = error instanceof RefusedError && error.error.kind === "domain";
      toast.error(refused ? "We couldn't withdraw your quote" : title, { description: refused ? error.message : description });
    },
    onSuccess: (value) => {
      queryClient.setQueryData<CachedQuote>(key, (old) => (old ? { ...old, status: value.status, version: Math.max(old.version, value.version), optimistic: false, source: "local" } : old));
      rememberVersion(quoteId, value.version);
      noteOwnWrite(value.version);
      toast.success("Quote withdrawn", { description: "Nobody will review it now. You can start a new quote whenever you like." });
    },
  });

  const shownConfirming = scripted ? confirming : posted.confirming;
  useEffect(() => {
    if (scripted && confirming) confirmRef.current?.focus();
  }, [scripted, confirming]);

  if (!WITHDRAWABLE.has(quote.status)) return null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setScripted(true);
    const intent = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    if (intent === WITHDRAW_INTENTS.ask) return setConfirming(true);
    if (intent !== WITHDRAW_INTENTS.withdraw) return setConfirming(false);
    const idempotencyKey = submission.begin(String(quote.version));
    if (!idempotencyKey) return;
    setProblem(null);
    mutation.mutate(
      { seenVersion: quote.version, idempotencyKey },
      {
        onSuccess: () => {
          submission.end(true);
          setConfirming(false);
          router.push(quotePath(quoteId, "submitted"));
        },
        onError: (error) => {
          submission.end(outcomeKnown(error));
          if (error instanceof RefusedError && error.error.kind === "domain") {
            if (error.error.code === "QuoteCancelled") return router.push(quotePath(quoteId, "submitted"));
            setConfirming(false);
            setProblem(error.error.detail);
          }
        },
      },
    );
  };

  const shownProblem = scripted ? problem : refusalText(posted.refusal);

  return (
    <section className="withdraw-quote" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">Changed your mind?</h2>
      {shownProblem ? (
        <div className="notice notice--error" role="alert">
          <h3 className="notice-title">Your quote was not withdrawn</h3>
          <p>{shownProblem}</p>
        </div>
      ) : null}
      <form noValidate action={postForm} onSubmit={onSubmit}>
        <SubmissionFields quoteId={quoteId} version={quote.version} />
        {shownConfirming ? (
          <div className="notice notice--warning" ref={confirmRef} tabIndex={-1} role="group" aria-labelledby="withdraw-confirm-title">
            <h3 className="notice-title" id="withdraw-confirm-title">
              Are you sure you want to withdraw this quote?
            </h3>
            <p>Once withdrawn, it can&apos;t be changed, submitted or reviewed by an agent. You can start a new quote at any time.</p>
            <div className="form-actions">
              <button type="submit" name={WITHDRAW_INTENT_FIELD} value={WITHDRAW_INTENTS.withdraw} className="button button--warning" aria-disabled={mutation.isPending || undefined}>
                Yes, withdraw this quote
              </button>
              <button type="submit" name={WITHDRAW_INTENT_FIELD} value={WITHDRAW_INTENTS.keep} className="button button--secondary">
                No, keep it
              </button>
              <span className="saving-status" role="status">
                {mutation.isPending ? "Withdrawing your quote…" : ""}
              </span>
            </div>
          </div>
        ) : (
          <>
            <p>You can withdraw this quote until an agent has approved or rejected it.</p>
            <button type="submit" name={WITHDRAW_INTENT_FIELD} value={WITHDRAW_INTENTS.ask} className="button button--secondary">
              Withdraw this quote
            </button>
          </>
        )}
      </form>
    </section>
  );
}
