"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "../toasts/toast";
import type { SavePageInput } from "@/app/(customer)/_actions/capture-details";
import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import { callServer, ConflictError, describeSaveError, refusalError } from "./errors";
import { quoteKey, rememberVersion, withLatestAnswers, type CachedQuote } from "./quote-cache";
import type { AnswerPage } from "@/lib/customer/wizard-steps";
import { useWizard } from "./wizard-context";

export interface SaveVariables<Details> {
  details: Details;
  /** The version the form was loaded at (If-Match): the server decides whether what changed since matters. */
  expectedVersion: number;
  idempotencyKey: string;
}

const SLOW_SAVE_MS = 3_000;

/**
 * Saving one page: a React Query mutation around the page's server action.
 * - Optimistic: the cached quote shows the new answers at once (stepper ticks, review page); rolled back if the
 *   server refuses.
 * - If-Match: the save carries the version the form was loaded at. The server accepts it unless this page's answers
 *   changed since; then it fails with a ConflictError carrying the latest answers, which the form shows.
 * - A toast for success and for failure; a "still saving" toast when the server is slow.
 */
export function useSavePage<Details>(options: { page: AnswerPage; save: (input: SavePageInput) => Promise<Result<QuoteVersionResponse>>; savedMessage: string }) {
  const { page, save, savedMessage } = options;
  const { quoteId, noteOwnWrite } = useWizard();
  const queryClient = useQueryClient();
  const key = quoteKey(quoteId);

  return useMutation<QuoteVersionResponse, Error, SaveVariables<Details>, { previous?: CachedQuote; slowTimer: ReturnType<typeof setTimeout> }>({
    mutationKey: ["save", quoteId, page],
    mutationFn: async ({ details, expectedVersion, idempotencyKey }) => {
      const result = await callServer(() => save({ quoteId, details, expectedVersion, idempotencyKey }));
      if (!result.ok) throw refusalError(result.error);
      return result.value;
    },
    onMutate: async ({ details }) => {
      const slowTimer = setTimeout(() => toast.loading("Still saving your answers…", { id: `slow-${quoteId}`, description: "Our server is slow right now. Please keep this page open." }), SLOW_SAVE_MS);
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<CachedQuote>(key);
      if (previous) queryClient.setQueryData<CachedQuote>(key, { ...previous, [page]: details, optimistic: true, source: "local" });
      return { previous, slowTimer };
    },
    onError: (error, _variables, context) => {
      if (error instanceof ConflictError) queryClient.setQueryData<CachedQuote>(key, withLatestAnswers(context?.previous, error));
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
