"use client";

import { erasePersonalData, erasePersonalDataForm } from "@/app/(customer)/_actions/erase-personal-data";
import type { ConfirmedActionWords } from "@/lib/customer/confirmed-action-words";
import { ConfirmedQuoteAction } from "./confirmed-quote-action";
import type { CachedQuote } from "./quote-cache";

/** "Delete my data" (its words: ERASE_WORDS), on the review page and the outcome page until it is done. */
export function ErasePersonalData({ initialQuote, words }: { initialQuote: CachedQuote; words: ConfirmedActionWords }) {
  return (
    <ConfirmedQuoteAction
      initialQuote={initialQuote}
      name="erase"
      words={words}
      offeredFor={(quote) => !quote.personalDataErased}
      run={erasePersonalData}
      postForm={erasePersonalDataForm}
      alreadyDone="PersonalDataErased"
      applyTo={(quote) => ({ ...quote, personalDataErased: true })}
    />
  );
}
