"use client";

import { withdrawQuote, withdrawQuoteForm } from "@/app/(customer)/_actions/withdraw-quote";
import type { ConfirmedActionWords } from "@/lib/customer/confirmed-action-words";
import { ConfirmedQuoteAction } from "./confirmed-quote-action";
import type { CachedQuote } from "./quote-cache";

/** The statuses a customer may still withdraw from: not yet approved or rejected (a referral is not a decision). */
const WITHDRAWABLE = new Set(["draft", "submitted", "referred"]);

/** "Withdraw this quote" (its words: WITHDRAW_WORDS), under the review page and the outcome page while no agent has approved or rejected it. */
export function WithdrawQuote({ initialQuote, words }: { initialQuote: CachedQuote; words: ConfirmedActionWords }) {
  return (
    <ConfirmedQuoteAction
      initialQuote={initialQuote}
      name="withdraw"
      words={words}
      offeredFor={(quote) => WITHDRAWABLE.has(quote.status)}
      run={withdrawQuote}
      postForm={withdrawQuoteForm}
      alreadyDone="QuoteCancelled"
      applyTo={(quote, value) => ({ ...quote, status: value.status })}
    />
  );
}
