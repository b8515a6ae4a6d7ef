"use client";

import type { ReactNode } from "react";
import type { PageFormState } from "@/lib/customer/page-form-state";
import { ConflictNotice } from "./conflict-notice";
import { FormErrors } from "./form-errors";
import { SubmitButton } from "./submit-button";
import { placePostedAnswers } from "./posted-answers";
import { SubmissionFields } from "./submission-fields";
import { useWizard } from "./wizard-context";

interface PlainPageFormProps {
  formId: string;
  posted: PageFormState<unknown>;
  postForm: (formData: FormData) => void;
  /** The version the answers were loaded at, until a post says otherwise. */
  version: number;
  fromReview: boolean;
  fieldOrder: readonly string[];
  toFieldPath?: (path: string) => string;
  /** The page's fields, given each field's message from the last post. */
  children: (postedError: (name: string) => string | undefined) => ReactNode;
}

/**
 * A wizard page's form without its script (before it has loaded, or if it cannot): it posts to the page's server
 * action, which answers with the next page or this form again with its messages. The same markup as the form with
 * its script, so that one can take over this one's HTML.
 */
export function PlainPageForm({ formId, posted, postForm, version, fromReview, fieldOrder, toFieldPath, children }: PlainPageFormProps) {
  const { quoteId } = useWizard();
  const placed = placePostedAnswers(posted, fieldOrder, toFieldPath);
  return (
    <form id={formId} noValidate action={postForm} className="wizard-form">
      <SubmissionFields quoteId={quoteId} version={posted.loadedVersion ?? version} fromReview={fromReview} />
      <ConflictNotice count={posted.conflict ? 1 : 0} />
      <FormErrors messages={placed.unplaced} />
      {children((name) => placed.byField[name])}
      <SubmitButton pending={false}>Continue</SubmitButton>
    </form>
  );
}
