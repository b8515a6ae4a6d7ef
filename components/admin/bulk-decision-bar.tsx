import type { AppError } from "@/lib/cqrs/app-error";
import { MAX_REASON_LENGTH } from "@/schemas/quote";
import { MAX_BULK_QUOTES } from "@/schemas/bulk-decisions";

/**
 * The buttons over the quote list's ticked rows: approve or refer them all (refer needs the reason). Part of the
 * list's form, so it posts without JavaScript too; the button pressed names the decision.
 */
export function BulkDecisionBar({ reason, reasonError, problem, pending }: { reason: string; reasonError: string | undefined; problem: string | null; pending: boolean }) {
  return (
    <fieldset className="bulk-bar">
      <legend>Decide the selected quotes (up to {MAX_BULK_QUOTES})</legend>
      {problem && (
        <div className="alert" role="alert" data-testid="bulk-problem">
          <p>{problem}</p>
        </div>
      )}
      <div className={`field${reasonError ? " invalid" : ""}`}>
        <label htmlFor="bulk-reason">Reason for the selected quotes</label>
        <span className="hint" id="bulk-reason-hint">
          Needed to refer; optional to approve
        </span>
        {reasonError && (
          <p className="field-error" id="bulk-reason-error">
            {reasonError}
          </p>
        )}
        <input
          id="bulk-reason"
          name="reason"
          type="text"
          defaultValue={reason}
          maxLength={MAX_REASON_LENGTH}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={reasonError ? "bulk-reason-hint bulk-reason-error" : "bulk-reason-hint"}
        />
      </div>
      <div className="buttons">
        <button type="submit" name="decision" value="approve" className="button approve" disabled={pending}>
          Approve selected
        </button>
        <button type="submit" name="decision" value="refer" className="button refer" disabled={pending}>
          Refer selected
        </button>
      </div>
    </fieldset>
  );
}

export const bulkProblemText = (error: AppError): string => (error.kind === "unauthorized" ? "Your session has ended. Sign in again, then decide the quotes." : error.detail);
