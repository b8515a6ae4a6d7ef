"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { toast } from "../toasts/toast";
import { customerRetryApplicationNumberAction } from "@/app/(customer)/_actions/retry-application-number";
import { callServer, describeSaveError, RefusedError } from "./errors";
import { quoteKey, type CachedQuote } from "./quote-cache";
import { useQuote } from "./use-quote";
import { useWizard } from "./wizard-context";

type Shown = "pending" | "assigned" | "failed";

export const APPLICATION_NUMBER_PLACEHOLDER = "Generating your application number…";

/**
 * The application number in the wizard header. It is requested when the quote starts and arrives on its own
 * (the wizard polls the quote meanwhile, never waits on it). If the request fails for good, a toast says so
 * with "Try again", and the header keeps a "Try again" button.
 */
export function ApplicationNumber({ initialQuote }: { initialQuote: CachedQuote }) {
  const { quoteId, retrySince, startRetry } = useWizard();
  const queryClient = useQueryClient();
  const quote = useQuote(initialQuote, { poll: true });

  const retrying = retrySince !== null;
  const failedAgain = retrying && quote.applicationNumberStatus === "failed" && quote.version > retrySince;
  const shown: Shown =
    quote.applicationNumberStatus === "assigned" ? "assigned" : quote.applicationNumberStatus === "failed" && (!retrying || failedAgain) ? "failed" : "pending";

  const retry = useMutation({
    mutationKey: ["application-number-retry", quoteId],
    mutationFn: async () => {
      const result = await callServer(() => customerRetryApplicationNumberAction(quoteId));
      if (!result.ok) throw new RefusedError(result.error);
      return result.value;
    },
    onMutate: () => toast.dismiss(`application-number-${quoteId}`),
    onSuccess: (outcome) => {
      if (outcome.status === "assigned") {
        void queryClient.invalidateQueries({ queryKey: quoteKey(quoteId) });
        return;
      }
      startRetry(outcome.version);
      toast.info("Asking for your application number again", { description: "You can carry on with your quote meanwhile." });
    },
    onError: (error) => {
      const { title, description } = describeSaveError(error);
      toast.error(title, { description });
    },
  });

  // Toasts for what changed while the customer was here (not for how things stood when the page opened).
  const previous = useRef<Shown | null>(null);
  const retryRef = useRef(retry.mutate);
  useEffect(() => {
    retryRef.current = retry.mutate;
  }, [retry.mutate]);
  useEffect(() => {
    const before = previous.current;
    previous.current = shown;
    if (shown === "failed" && before !== "failed") {
      toast.error("We couldn't get your application number", {
        id: `application-number-${quoteId}`,
        description: "The service that issues it isn't answering. Your quote is saved and you can carry on.",
        duration: 30_000,
        action: { label: "Try again", onClick: () => retryRef.current() },
      });
    } else if (shown === "assigned" && before !== null && before !== "assigned") {
      toast.success(`Your application number is ${quote.applicationNumber}`);
    }
  }, [shown, quoteId, quote.applicationNumber]);

  return (
    <div className="application-number">
      <p className="application-number-text" role="status">
        {shown === "assigned" ? (
          <>
            Application number <strong className="application-number-value">{quote.applicationNumber}</strong>
          </>
        ) : shown === "failed" ? (
          "We couldn't get your application number."
        ) : (
          APPLICATION_NUMBER_PLACEHOLDER
        )}
      </p>
      {shown === "failed" ? (
        <button type="button" className="button button--secondary button--small" onClick={() => retry.isPending || retry.mutate()} aria-disabled={retry.isPending || undefined}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
