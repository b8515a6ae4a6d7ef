"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchQuote, keepNewer, quoteKey, type CachedQuote } from "./quote-cache";
import { useWizard } from "./wizard-context";

/** How often to ask again: while the application number is on its way, and while an agent may still decide. */
function pollInterval(quote: CachedQuote | undefined, retrying: boolean): number | false {
  if (!quote) return false;
  if (quote.applicationNumberStatus === "pending" || (retrying && quote.applicationNumberStatus !== "assigned")) return 1_500;
  if (quote.status === "submitted" || quote.status === "referred") return 3_000;
  if (quote.stale) return 1_500;
  return false;
}

/**
 * The customer's quote from the cache. `initial` is what the server rendered with; it seeds the cache and
 * replaces it when newer. Only the wizard shell polls (`poll: true`); other readers share its results.
 */
export function useQuote(initial: CachedQuote, options: { poll?: boolean } = {}) {
  const { quoteId, retrySince } = useWizard();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: quoteKey(quoteId),
    queryFn: () => fetchQuote(quoteId),
    initialData: initial,
    staleTime: 2_000,
    structuralSharing: keepNewer,
    refetchInterval: options.poll ? (q) => pollInterval(q.state.data, retrySince !== null) : false,
    refetchOnWindowFocus: options.poll ?? false,
  });

  useEffect(() => {
    const cached = queryClient.getQueryData<CachedQuote>(quoteKey(quoteId));
    if (!cached || initial.version > cached.version) queryClient.setQueryData(quoteKey(quoteId), { ...initial, source: "server" as const });
  }, [initial, quoteId, queryClient]);

  return query.data;
}
