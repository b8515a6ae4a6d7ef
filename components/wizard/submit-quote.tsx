"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { toast } from "../toasts/toast";
import { submitQuote, submitQuoteForm, type SubmitQuoteFormState } from "@/app/(customer)/_actions/submit-quote";
import type { SubmitQuoteResponse } from "@/lib/commands/quote-commands";
import type { AppError } from "@/lib/cqrs/app-error";
import { callServer, ConflictError, describeSaveError, outcomeKnown, refusalError, RefusedError } from "./errors";
import { ConflictNotice } from "./conflict-notice";
import { quoteKey, rememberVersion, withLatestAnswers, type CachedQuote } from "./quote-cache";
import { quotePath, WIZARD_STEPS } from "@/lib/customer/wizard-steps";
import { SubmissionFields } from "./submission-fields";
import { useQuote } from "./use-quote";
import { useSubmissionKey } from "./use-submission-key";
import { useWizard } from "./wizard-context";

const NOTHING_POSTED: SubmitQuoteFormState = { conflict: false, refusal: null };

/** Why the quote could not be submitted (answers missing, say), shown above the button; null when a toast says it. */
function domainProblem(error: AppError): string | null {
  if (error.kind !== "domain") return null;
  const missing = error.missing ?? [];
  const pages = WIZARD_STEPS.filter((step) => step.page !== null && missing.includes(step.page)).map((step) => step.label.toLowerCase());
  return pages.length ? `${error.detail} Answer the questions under “${pages.join("” and “")}” first.` : error.detail;
}

/** The same, for "Submit quote" posted before JavaScript loaded: there is no toast then, so every refusal is said here. */
function postedProblem(error: AppError | null): string | null {
  if (!error) return null;
  const { title, description } = describeSaveError(new RefusedError(error));
  return domainProblem(error) ?? `${title}. ${description}`;
}

/**
 * "Submit quote": submits the answers the customer has just checked. Its If-Match is the version of those
 * answers; if another tab changed any of them meanwhile, the server submits nothing and the page shows the latest.
 */
export function SubmitQuote({ initialQuote }: { initialQuote: CachedQuote }) {
  const { quoteId, noteOwnWrite } = useWizard();
  const router = useRouter();
  const queryClient = useQueryClient();
  const quote = useQuote(initialQuote);
  const submission = useSubmissionKey();
  const [conflicts, setConflicts] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [posted, postForm] = useActionState(submitQuoteForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const key = quoteKey(quoteId);

  const mutation = useMutation<SubmitQuoteResponse, Error, { checkedVersion: number; idempotencyKey: string }, { previous?: CachedQuote }>({
    mutationKey: ["submit", quoteId],
    mutationFn: async ({ checkedVersion, idempotencyKey }) => {
      const result = await callServer(() => submitQuote({ quoteId, expectedVersion: checkedVersion, idempotencyKey }));
      if (!result.ok) throw refusalError(result.error);
      return result.value;
    },
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<CachedQuote>(key);
      if (previous) queryClient.setQueryData<CachedQuote>(key, { ...previous, status: "submitted", optimistic: true, source: "local" });
      return { previous };
    },
    onError: (error, _variables, context) => {
      if (error instanceof ConflictError) queryClient.setQueryData<CachedQuote>(key, withLatestAnswers(context?.previous, error));
      else if (context?.previous) queryClient.setQueryData<CachedQuote>(key, { ...context.previous, source: "local" });
      const { title, description } = describeSaveError(error);
      toast.error(error instanceof RefusedError && error.error.kind === "domain" ? "We couldn't submit your quote" : title, { description });
    },
    onSuccess: (value) => {
      queryClient.setQueryData<CachedQuote>(key, (old) =>
        old ? { ...old, status: value.status, premium: value.premium, validUntil: value.validUntil, version: Math.max(old.version, value.version), optimistic: false, source: "local" } : old,
      );
      rememberVersion(quoteId, value.version);
      noteOwnWrite(value.version);
      toast.success("Quote submitted", { description: "We'll let you know when an agent has reviewed it." });
    },
  });

  const submit = () => {
    const idempotencyKey = submission.begin(String(quote.version));
    if (!idempotencyKey) return;
    setProblem(null);
    mutation.mutate(
      { checkedVersion: quote.version, idempotencyKey },
      {
        onSuccess: () => {
          submission.end(true);
          router.push(quotePath(quoteId, "submitted"));
        },
        onError: (error) => {
          submission.end(outcomeKnown(error));
          if (error instanceof ConflictError) {
            setConflicts((count) => count + 1);
            router.refresh(); // the premium is priced on the server from the latest answers
            return;
          }
          if (error instanceof RefusedError && error.error.kind === "domain") {
            if (error.error.code === "QuoteNotDraft" || error.error.code === "QuoteCancelled") return router.push(quotePath(quoteId, "submitted"));
            setProblem(domainProblem(error.error));
          }
        },
      },
    );
  };

  const shownConflicts = scripted ? conflicts : conflicts + (posted.conflict ? 1 : 0);
  const shownProblem = scripted ? problem : postedProblem(posted.refusal);

  return (
    <div className="submit-quote">
      <ConflictNotice count={shownConflicts} />
      {shownProblem ? (
        <div className="notice notice--error" role="alert">
          <h2 className="notice-title">There is a problem</h2>
          <p>{shownProblem}</p>
        </div>
      ) : null}
      <h2>Now submit your quote</h2>
      <p>By submitting, you confirm your answers are correct to the best of your knowledge. An agent will review your quote.</p>
      <form
        noValidate
        action={postForm}
        onSubmit={(event) => {
          event.preventDefault();
          setScripted(true);
          submit();
        }}
      >
        <SubmissionFields quoteId={quoteId} version={quote.version} />
        <div className="form-actions">
          <button type="submit" className="button" aria-disabled={mutation.isPending || undefined}>
            Submit quote
          </button>
          <span className="saving-status" role="status">
            {mutation.isPending ? "Submitting your quote…" : ""}
          </span>
        </div>
      </form>
    </div>
  );
}
