"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { toast } from "../toasts/toast";
import type { AppError, Result } from "@/lib/cqrs/app-error";
import type { ConfirmedActionWords } from "@/lib/customer/confirmed-action-words";
import type { ConfirmedCommandFormState } from "@/lib/customer/confirmed-command-form";
import { quotePath } from "@/lib/customer/wizard-steps";
import { CONFIRM_INTENT_FIELD, CONFIRM_INTENTS } from "@/lib/customer/wizard-form-names";
import { callServer, describeSaveError, outcomeKnown, refusalError, RefusedError } from "./errors";
import { quoteKey, rememberVersion, type CachedQuote } from "./quote-cache";
import { SubmissionFields } from "./submission-fields";
import { useQuote } from "./use-quote";
import { useSubmissionKey } from "./use-submission-key";
import { useWizard } from "./wizard-context";

const NOTHING_POSTED: ConfirmedCommandFormState = { confirming: false, refusal: null };

export interface ConfirmedQuoteActionProps<Value extends { version: number }> {
  initialQuote: CachedQuote;
  /** Names the section's ids and the mutation. */
  name: string;
  words: ConfirmedActionWords;
  offeredFor(quote: CachedQuote): boolean;
  run(input: { quoteId: string; expectedVersion: number; idempotencyKey: string }): Promise<Result<Value>>;
  postForm(previous: ConfirmedCommandFormState, formData: FormData): Promise<ConfirmedCommandFormState>;
  /** The domain's refusal that means it was already done (from another tab): the outcome page, not an error. */
  alreadyDone: string;
  /** The cached quote once it is done. */
  applyTo(quote: CachedQuote, value: Value): CachedQuote;
}

/** Why it was not done, in the page's own words (a toast says it too once JavaScript runs). */
function refusalText(error: AppError | null): string | null {
  if (!error) return null;
  if (error.kind === "domain") return error.detail;
  const { title, description } = describeSaveError(new RefusedError(error));
  return `${title}. ${description}`;
}

/**
 * A customer's command that asks first (withdraw, delete my data): the first button only asks to confirm; "Yes, …"
 * runs it. Without JavaScript each is a form post to a server action (lib/customer/confirmed-command-form.ts); with
 * it, a mutation with a toast, then the outcome page.
 */
export function ConfirmedQuoteAction<Value extends { version: number }>({ initialQuote, name, words, offeredFor, run, postForm, alreadyDone, applyTo }: ConfirmedQuoteActionProps<Value>) {
  const { quoteId, noteOwnWrite } = useWizard();
  const router = useRouter();
  const queryClient = useQueryClient();
  const quote = useQuote(initialQuote);
  const submission = useSubmissionKey();
  const [posted, formAction] = useActionState(postForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const key = quoteKey(quoteId);

  const mutation = useMutation<Value, Error, { seenVersion: number; idempotencyKey: string }>({
    mutationKey: [name, quoteId],
    mutationFn: async ({ seenVersion, idempotencyKey }) => {
      const result = await callServer(() => run({ quoteId, expectedVersion: seenVersion, idempotencyKey }));
      if (!result.ok) throw refusalError(result.error);
      return result.value;
    },
    onError: (error) => {
      const { title, description } = describeSaveError(error);
      const refused = error instanceof RefusedError && error.error.kind === "domain";
      toast.error(refused ? words.refusedToast : title, { description: refused ? error.message : description });
    },
    onSuccess: (value) => {
      queryClient.setQueryData<CachedQuote>(key, (old) => (old ? { ...applyTo(old, value), version: Math.max(old.version, value.version), optimistic: false, source: "local" } : old));
      rememberVersion(quoteId, value.version);
      noteOwnWrite(value.version);
      toast.success(words.done.title, { description: words.done.description });
    },
  });

  const shownConfirming = scripted ? confirming : posted.confirming;
  useEffect(() => {
    if (scripted && confirming) confirmRef.current?.focus();
  }, [scripted, confirming]);

  if (!offeredFor(quote)) return null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setScripted(true);
    const intent = ((event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    if (intent === CONFIRM_INTENTS.ask) return setConfirming(true);
    if (intent !== CONFIRM_INTENTS.confirm) return setConfirming(false);
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
            if (error.error.code === alreadyDone) return router.push(quotePath(quoteId, "submitted"));
            setConfirming(false);
            setProblem(error.error.detail);
          }
        },
      },
    );
  };

  const shownProblem = scripted ? problem : refusalText(posted.refusal);

  return (
    <section className={`confirmed-action confirmed-action--${name}`} aria-labelledby={`${name}-title`}>
      <h2 id={`${name}-title`}>{words.heading}</h2>
      {shownProblem ? (
        <div className="notice notice--error" role="alert">
          <h3 className="notice-title">{words.notDone}</h3>
          <p>{shownProblem}</p>
        </div>
      ) : null}
      <form noValidate action={formAction} onSubmit={onSubmit}>
        <SubmissionFields quoteId={quoteId} version={quote.version} />
        {shownConfirming ? (
          <div className="notice notice--warning" ref={confirmRef} tabIndex={-1} role="group" aria-labelledby={`${name}-confirm-title`}>
            <h3 className="notice-title" id={`${name}-confirm-title`}>
              {words.confirmTitle}
            </h3>
            <p>{words.confirmBody}</p>
            <div className="form-actions">
              <button type="submit" name={CONFIRM_INTENT_FIELD} value={CONFIRM_INTENTS.confirm} className="button button--warning" aria-disabled={mutation.isPending || undefined}>
                {words.confirm}
              </button>
              <button type="submit" name={CONFIRM_INTENT_FIELD} value={CONFIRM_INTENTS.keep} className="button button--secondary">
                No, keep it
              </button>
              <span className="saving-status" role="status">
                {mutation.isPending ? words.pending : ""}
              </span>
            </div>
          </div>
        ) : (
          <>
            <p>{words.offer}</p>
            <button type="submit" name={CONFIRM_INTENT_FIELD} value={CONFIRM_INTENTS.ask} className="button button--secondary">
              {words.ask}
            </button>
          </>
        )}
      </form>
    </section>
  );
}
