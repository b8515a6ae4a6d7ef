import type { PageFormState } from "@/lib/customer/page-form-state";
import type { CachedQuote } from "./quote-cache";

/** What a wizard page's form gets, with or without its script: the quote and what the page's server action answered. */
export interface PageFormProps<Values> {
  initialQuote: CachedQuote;
  /** Came from the review page's "Change" link: go back there after saving. */
  fromReview: boolean;
  /** The server action's answer to this form posted before the script took over (useActionState). */
  posted: PageFormState<Values>;
  postForm: (formData: FormData) => void;
}
