"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "../toasts/toast";
import type { SavePageInput } from "@/app/(customer)/_actions/capture-details";
import { readQuote } from "@/app/(customer)/_actions/read-quote";
import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { callServer, ConflictError, currentVersionOf, describeSaveError, isVersionConflict, RefusedError } from "./errors";
import { quoteKey, rememberVersion, sameAnswers, type CachedQuote } from "./quote-cache";
import type { AnswerPage } from "@/lib/customer/wizard-steps";
import { useWizard } from "./wizard-context";

/** The answers the form was loaded with, and the quote's version then (sent as If-Match). */
export interface Baseline<Details> {
  version: number;
  details: Details | null;
}

export interface SaveVariables<Details> {
  details: Details;
  baseline: Baseline<Details>;
  idempotencyKey: string;
}

const SLOW_SAVE_MS = 3_000;
const MAX_ATTEMPTS = 3;

/** The quote at `minVersion` or later, straight from the query bus (read-your-writes). */
export async function loadLatest(quoteId: string, minVersion: number): Promise<CachedQuote> {
  const result = await callServer(() => readQuote(quoteId, minVersion));
  if (!result.ok) throw new RefusedError(result.error);
  return { ...result.value, source: "local" };
}

/**
 * Saving one page: a React Query mutation around the page's server action.
 * - Optimistic: the cached quote shows the new answers at once (stepper ticks, review page); rolled back if the
 *   server refuses.
 * - If-Match: the save carries the version the form was loaded at. On 412/409 the latest quote is read; if this
 *   page's answers are unchanged there (the newer version came from elsewhere, e.g. the application number),
 *   the save is retried at the new version; if someone changed them, it fails with a ConflictError carrying
 *   the latest quote, which the form shows.
 * - A toast for success and for failure; a "still saving" toast when the server is slow.
 */
export function useSavePage<Details>(options: { page: AnswerPage; save: (input: SavePageInput) => Promise<Result<QuoteVersionResponse>>; savedMessage: string }) {
  const { page, save, savedMessage } = options;
  const { quoteId, noteOwnWrite } = useWizard();
  const queryClient = useQueryClient();
  const key = quoteKey(quoteId);

  return useMutation<QuoteVersionResponse, Error, SaveVariables<Details>, { previous?: CachedQuote; slowTimer: ReturnType<typeof setTimeout> }>({
    mutationKey: ["save", quoteId, page],
    mutationFn: async ({ details, baseline, idempotencyKey }) => {
      let expectedVersion = baseline.version;
      for (let attempt = 1; ; attempt++) {
        const result = await callServer(() => save({ quoteId, details, expectedVersion, idempotencyKey }));
        if (result.ok) return result.value;
        if (!isVersionConflict(result.error) || attempt >= MAX_ATTEMPTS) throw new RefusedError(result.error);
        const latest = await loadLatest(quoteId, currentVersionOf(result.error, expectedVersion));
        if (!sameAnswers(latest[page], baseline.details)) throw new ConflictError(latest);
        expectedVersion = latest.version;
      }
    },
    onMutate: async ({ details }) => {
      const slowTimer = setTimeout(() => toast.loading("Still saving your answers…", { id: `slow-${quoteId}`, description: "Our server is slow right now. Please keep this page open." }), SLOW_SAVE_MS);
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<CachedQuote>(key);
      if (previous) queryClient.setQueryData<CachedQuote>(key, { ...previous, [page]: details, optimistic: true, source: "local" });
      return { previous, slowTimer };
    },
    onError: (error, _variables, context) => {
      if (error instanceof ConflictError) queryClient.setQueryData<CachedQuote>(key, { ...error.latest, optimistic: false, source: "local" });
      else if (context?.previous) queryClient.setQueryData<CachedQuote>(key, { ...context.previous, source: "local" });
      const { title, description } = describeSaveError(error);
      toast.error(title, { description });
    },
    onSuccess: (value, { details }) => {
      queryClient.setQueryData<CachedQuote>(key, (old) => (old ? { ...old, [page]: details, version: Math.max(old.version, value.version), optimistic: false, source: "local" } : old));
      rememberVersion(quoteId, value.version);
      noteOwnWrite(value.version);
      toast.success(savedMessage);
    },
    onSettled: (_data, _error, _variables, context) => {
      if (context) clearTimeout(context.slowTimer);
      toast.dismiss(`slow-${quoteId}`);
    },
  });
}
