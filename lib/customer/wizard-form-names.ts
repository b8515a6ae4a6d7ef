/**
 * The names of what a wizard form posts besides its answers: the hidden fields every form carries and the family
 * form's list buttons. Apart from the readers in wizard-form-data.ts, so the forms' first load carries only these.
 */

/** The hidden fields every wizard form carries (see components/wizard/submission-fields.tsx). */
export const SUBMISSION_FIELDS = {
  quoteId: "quoteId",
  expectedVersion: "expectedVersion",
  fromReview: "fromReview",
} as const;

/** Which button posted the family form: "Continue" (none), "Add child" or "Remove child N". */
export const FAMILY_INTENT_FIELD = "intent";
export const ADD_CHILD_INTENT = "add-child";
export const REMOVE_CHILD_INTENT = "remove-child:";

/** Which button posted a form that asks first (withdraw, delete my data): the first one (ask), "Yes, …" (confirm) or "No, keep it". */
export const CONFIRM_INTENT_FIELD = "confirmIntent";
export const CONFIRM_INTENTS = { ask: "ask", confirm: "confirm", keep: "keep" } as const;
