"use client";

import { useActionState } from "react";
import { assignToMeWithForm, type WorkQueueFormState } from "@/app/(agent)/admin/work-queue-actions";
import type { AdminQuoteView } from "@/lib/agent/queries";

const NOTHING_POSTED: WorkQueueFormState = { note: "", error: null };

/** Who has the quote in their work queue, and "Assign to me" (a plain form: it works without JavaScript). */
export function Assignment({ quote, agentId }: { quote: AdminQuoteView; agentId: string }) {
  const [posted, post, pending] = useActionState(assignToMeWithForm, NOTHING_POSTED);
  const mine = quote.assignedTo === agentId;
  return (
    <div data-testid="assignment">
      <p>
        <strong>Assigned to:</strong>{" "}
        <span data-testid="assigned-to">{quote.assignedTo ? (mine ? `you (${quote.assignedToLabel ?? agentId})` : (quote.assignedToLabel ?? quote.assignedTo)) : "nobody yet"}</span>
      </p>
      {posted.error && (
        <div className="alert" role="alert" data-testid="assignment-problem">
          <p>{posted.error.kind === "unauthorized" ? "Your session has ended. Sign in again, then assign the quote." : posted.error.detail}</p>
        </div>
      )}
      {!mine && (
        <form action={post}>
          <input type="hidden" name="quoteId" value={quote.quoteId} />
          <input type="hidden" name="version" value={quote.version} />
          <button type="submit" className="button secondary" disabled={pending}>
            Assign to me
          </button>
        </form>
      )}
    </div>
  );
}
