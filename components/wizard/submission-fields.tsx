import { SUBMISSION_FIELDS } from "@/lib/customer/wizard-form-data";

export interface SubmissionFieldsProps {
  quoteId: string;
  /** The version the answers were loaded at: the If-Match of a post made without JavaScript. */
  version: number | undefined;
  /** The answers the form was loaded with, so the server can tell a harmless newer version from a conflict. */
  loadedAnswers: unknown;
  fromReview?: boolean;
}

/** The hidden fields a wizard form posts when JavaScript has not loaded (the script sends these itself). */
export function SubmissionFields({ quoteId, version, loadedAnswers, fromReview = false }: SubmissionFieldsProps) {
  return (
    <>
      <input type="hidden" name={SUBMISSION_FIELDS.quoteId} value={quoteId} />
      {version === undefined ? null : <input type="hidden" name={SUBMISSION_FIELDS.expectedVersion} value={version} />}
      <input type="hidden" name={SUBMISSION_FIELDS.loadedAnswers} value={JSON.stringify(loadedAnswers ?? null)} />
      {fromReview ? <input type="hidden" name={SUBMISSION_FIELDS.fromReview} value="true" /> : null}
    </>
  );
}
