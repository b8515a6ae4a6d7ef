"use client";

import { withdrawQuote, withdrawQuoteForm } from "@/app/(customer)/_actions/withdraw-quote";
import { ConfirmedQuoteAction, type ConfirmedActionWords } from "./confirmed-quote-action";
import type { CachedQuote } from "./quote-cache";

/** The statuses a customer may still withdraw from: not yet approved or rejected (a referral is not a decision). */
const WITHDRAWABLE = new Set(["draft", "submitted", "referred"]);

const WORDS: ConfirmedActionWords = {
  heading: "Changed your mind?",
  offer: "You can withdraw this quote until an agent has approved or rejected it.",
  ask: "Withdraw this quote",
  confirmTitle: "Are you sure you want to withdraw this quote?",
  confirmBody: "Once withdrawn, it can't be changed, submitted or reviewed by an agent. You can start a new quote at any time.",
  confirm: "Yes, withdraw this quote",
  pending: "Withdrawing your quote…",
  notDone: "Your quote was not withdrawn",
  refusedToast: "We couldn't withdraw your quote",
  done: { title: "Quote withdrawn", description: "Nobody will review it now. You can start a new quote whenever you like." },
};

/** "Withdraw this quote", under the review page and the outcome page while no agent has approved or rejected it. */
export function WithdrawQuote({ initialQuote }: { initialQuote: CachedQuote }) {
  return (
    <ConfirmedQuoteAction
      initialQuote={initialQuote}
      name="withdraw"
      words={WORDS}
      offeredFor={(quote) => WITHDRAWABLE.has(quote.status)}
      run={withdrawQuote}
      postForm={withdrawQuoteForm}
      alreadyDone="QuoteCancelled"
      applyTo={(quote, value) => ({ ...quote, status: value.status })}
    />
  );
}
