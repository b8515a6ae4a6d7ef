"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import type { FieldErrors, FieldValues, UseFormReturn } from "react-hook-form";
import type { SavePageInput } from "@/app/(customer)/_actions/capture-details";
import type { QuoteVersionResponse } from "@/lib/commands/quote-commands";
import type { Result } from "@/lib/cqrs/app-error";
import type { PageFormState } from "@/lib/customer/page-form-state";
import { applyServerErrors } from "../forms/schema-resolver";
import { ConflictError, outcomeKnown, RefusedError, validationErrors } from "./errors";
import { placePostedAnswers } from "./posted-answers";
import type { CachedQuote } from "./quote-cache";
import { nextPath, quotePath, type AnswerPage, type StepSlug } from "@/lib/customer/wizard-steps";
import type { SubmissionFieldsProps } from "./submission-fields";
import { useQuote } from "./use-quote";
import { useSavePage } from "./use-save-page";
import { useSubmissionKey } from "./use-submission-key";
import { useWizard } from "./wizard-context";

export interface PageSubmitOptions<Form extends FieldValues, Details> {
  form: UseFormReturn<Form, unknown, Details>;
  slug: StepSlug;
  page: AnswerPage;
  save: (input: SavePageInput) => Promise<Result<QuoteVersionResponse>>;
  savedMessage: string;
  /** Saved details → the form's values (for a reset to the latest answers after a conflict). */
  toFormValues: (details: Details | null) => Form;
  /** The form's fields in page order: the first server error in this order takes focus. */
  fieldOrder: readonly string[];
  /** A server error path (relative to the details) → the form's field name. */
  toFieldPath?: (path: string) => string;
  /** Came from the review page's "Change" link: go back there after saving. */
  fromReview: boolean;
  /** Called when the browser's own check fails (react-hook-form then focuses the first field in error). */
  onInvalid?: (errors: FieldErrors<Form>) => void;
  /** The server action's answer to this form posted before JavaScript loaded (useActionState), if it was. */
  posted: PageFormState<Form>;
}

/**
 * What every page does on submit: save through the mutation, then move on; map every failure back onto the form.
 * Before JavaScript loads, the form posts to its server action instead; what that answered (`posted`) is shown until
 * the script handles a submission itself.
 */
export function usePageSubmit<Form extends FieldValues, Details>(initialQuote: CachedQuote, options: PageSubmitOptions<Form, Details>) {
  const { form, slug, page, save, savedMessage, toFormValues, fieldOrder, toFieldPath, fromReview, onInvalid, posted } = options;
  const { quoteId } = useWizard();
  const router = useRouter();
  const quote = useQuote(initialQuote);
  // The version this form's answers were loaded at: the If-Match of its save, moved on by each save and conflict.
  const [loadedVersion, setLoadedVersion] = useState(() => posted.loadedVersion ?? quote.version);
  const [conflicts, setConflicts] = useState(0);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [scripted, setScripted] = useState(false);
  const mutation = useSavePage<Details>({ page, save, savedMessage });
  const submission = useSubmissionKey();

  const fromPost = useMemo(() => placePostedAnswers(posted, fieldOrder, toFieldPath), [posted, fieldOrder, toFieldPath]);

  const onValid = (details: Details) => {
    const idempotencyKey = submission.begin(JSON.stringify([details, loadedVersion]));
    if (!idempotencyKey) return; // a save is already running: a double click saves once
    setUnplaced([]);
    mutation.mutate(
      { details, expectedVersion: loadedVersion, idempotencyKey },
      {
        onSuccess: (value) => {
          submission.end(true);
          setLoadedVersion(value.version);
          router.push(nextPath(quoteId, slug, fromReview));
        },
        onError: (error) => {
          submission.end(outcomeKnown(error));
          if (error instanceof ConflictError) {
            form.reset(toFormValues((error.latest[page] as Details | null) ?? null));
            setLoadedVersion(error.version);
            setConflicts((count) => count + 1);
            return;
          }
          const fieldErrors = validationErrors(error);
          if (fieldErrors) setUnplaced(applyServerErrors(form.setError as never, fieldErrors, fieldOrder, toFieldPath));
          if (error instanceof RefusedError && error.error.kind === "domain" && (error.error.code === "QuoteNotDraft" || error.error.code === "QuoteCancelled")) router.push(quotePath(quoteId, "submitted"));
        },
      },
    );
  };

  const submitWithScript = form.handleSubmit(onValid, onInvalid);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    setScripted(true);
    return submitWithScript(event);
  };
  const submissionFields: SubmissionFieldsProps = { quoteId, version: loadedVersion, fromReview };

  return {
    onSubmit,
    pending: mutation.isPending,
    conflicts: scripted ? conflicts : conflicts + (posted.conflict ? 1 : 0),
    unplaced: scripted ? unplaced : fromPost.unplaced,
    /** The server's message for a field of the form posted without JavaScript (none once the script submits). */
    postedError: (name: string): string | undefined => (scripted ? undefined : fromPost.byField[name]),
    submissionFields,
  };
}
