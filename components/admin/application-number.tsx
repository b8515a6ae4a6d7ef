"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "../toasts/toast";
import { agentRetryApplicationNumberAction } from "@/app/(agent)/admin/actions";
import type { AdminQuoteView } from "@/lib/agent/queries";
import { quoteQueryKey } from "./query-keys";

/** The application number, or where its request stands, with "Retry application number" after a failure. */
export function ApplicationNumber({ quote, onQueued }: { quote: AdminQuoteView; onQueued: (version: number) => void }) {
  const queryClient = useQueryClient();
  const queryKey = quoteQueryKey(quote.quoteId);
  const retry = useMutation({
    mutationFn: async () => {
      const result = await agentRetryApplicationNumberAction({ quoteId: quote.quoteId, idempotencyKey: crypto.randomUUID() });
      if (!result.ok) throw new Error(result.error.kind === "unauthorized" ? "Your session has ended. Sign in again." : result.error.detail);
      return result.value;
    },
    onMutate: async () => {
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<AdminQuoteView>(queryKey);
      queryClient.setQueryData<AdminQuoteView>(queryKey, (old) => (old ? { ...old, applicationNumberStatus: "pending", applicationNumberFailure: null } : old));
      return { previous };
    },
    onError: (error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      toast.error(error.message);
    },
    onSuccess: (value) => {
      onQueued(value.version);
      toast.success("Asked the application-number service again. The number appears here when it arrives.");
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });

  return (
    <section aria-labelledby="application-number-heading">
      <h2 id="application-number-heading">Application number</h2>
      {quote.applicationNumberStatus === "assigned" && quote.applicationNumber && (
        <p>
          <strong data-testid="application-number">{quote.applicationNumber}</strong>
        </p>
      )}
      {quote.applicationNumberStatus === "pending" && <p className="muted">Requested: waiting for the application-number service.</p>}
      {quote.applicationNumberStatus === "failed" && (
        <>
          <p>
            The request failed{quote.applicationNumberFailure ? `: ${quote.applicationNumberFailure}` : "."}
          </p>
          <button type="button" className="button secondary" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {retry.isPending ? "Asking again…" : "Retry application number"}
          </button>
        </>
      )}
    </section>
  );
}
