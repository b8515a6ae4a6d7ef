"use client";

import { erasePersonalData, erasePersonalDataForm } from "@/app/(customer)/_actions/erase-personal-data";
import { ConfirmedQuoteAction, type ConfirmedActionWords } from "./confirmed-quote-action";
import type { CachedQuote } from "./quote-cache";

const WORDS: ConfirmedActionWords = {
  heading: "Your data",
  offer: "You can delete the personal details you gave us for this quote (your email, phone number, city, ZIP code and family's names) at any time.",
  ask: "Delete my data",
  confirmTitle: "Are you sure you want to delete your data?",
  confirmBody:
    "Your personal details will be made unreadable everywhere we keep them, for good, and this quote can no longer be changed or submitted. Its status, premium and application number stay.",
  confirm: "Yes, delete my data",
  pending: "Deleting your data…",
  notDone: "Your data was not deleted",
  refusedToast: "We couldn't delete your data",
  done: { title: "Your data was deleted", description: "Your personal details for this quote can no longer be read by anyone." },
};

/** "Delete my data", on the review page and the outcome page until it is done. */
export function ErasePersonalData({ initialQuote }: { initialQuote: CachedQuote }) {
  return (
    <ConfirmedQuoteAction
      initialQuote={initialQuote}
      name="erase"
      words={WORDS}
      offeredFor={(quote) => !quote.personalDataErased}
      run={erasePersonalData}
      postForm={erasePersonalDataForm}
      alreadyDone="PersonalDataErased"
      applyTo={(quote) => ({ ...quote, personalDataErased: true })}
    />
  );
}
