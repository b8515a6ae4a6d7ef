import "server-only";

/** What the customer reads, from the first button to the outcome. */
export interface ConfirmedActionWords {
  heading: string;
  offer: string;
  ask: string;
  confirmTitle: string;
  confirmBody: string;
  confirm: string;
  pending: string;
  notDone: string;
  refusedToast: string;
  done: { title: string; description: string };
}

// What the customer reads around the two commands that ask first. The pages pass them to the client components as
// props, so the words travel in the page's HTML, not in the JavaScript the wizard's pages load.

export const WITHDRAW_WORDS: ConfirmedActionWords = {
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

export const ERASE_WORDS: ConfirmedActionWords = {
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
