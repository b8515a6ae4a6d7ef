import { SUBMISSION_FIELDS } from "@/lib/customer/wizard-form-names";

export interface SubmissionFieldsProps {
  quoteId: string;
  /** The version the answers were loaded at: the If-Match of a post made without JavaScript. */
  version: number | undefined;
  fromReview?: boolean;
}

/** The hidden fields a wizard form posts when JavaScript has not loaded (the script sends these itself). */
export function SubmissionFields({ quoteId, version, fromReview = false }: SubmissionFieldsProps) {
  return (
    <>
      <input type="hidden" name={SUBMISSION_FIELDS.quoteId} value={quoteId} />
      {version === undefined ? null : <input type="hidden" name={SUBMISSION_FIELDS.expectedVersion} value={version} />}
      {fromReview ? <input type="hidden" name={SUBMISSION_FIELDS.fromReview} value="true" /> : null}
    </>
  );
}
