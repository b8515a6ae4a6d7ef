"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useActionState, useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "../toasts/toast";
import { decideQuoteAction, decideQuoteWithForm, type ActionResult, type DecisionFormState } from "@/app/(agent)/admin/actions";
import type { AdminQuoteView } from "@/lib/agent/queries";
import type { AppError } from "@/lib/cqrs/app-error";
import { approveQuoteBodySchema, MAX_REASON_LENGTH, referQuoteBodySchema, rejectQuoteBodySchema } from "@/schemas/quote";
import { dateTime, DECISION_DONE, DECISION_OUTCOME, STATUS_LABEL } from "./format";
import { quoteQueryKey } from "./query-keys";

type Decision = keyof typeof DECISION_OUTCOME;
const SCHEMA = { approve: approveQuoteBodySchema, reject: rejectQuoteBodySchema, refer: referQuoteBodySchema };
const NOTHING_POSTED: DecisionFormState = { reason: "", error: null };

/** A refused action, carrying the server's AppError. */
class ActionRefused extends Error {
  constructor(readonly result: Extract<ActionResult<unknown>, { ok: false }>) {
    super(result.error.detail);
  }
}

function explain(error: AppError): string {
  if (error.kind === "unauthorized") return "Your session has ended. Sign in again, then make the decision.";
  if (error.kind === "forbidden") return error.detail;
  return error.detail;
}

const reasonErrorOf = (error: AppError | null) => (error?.kind === "validation" ? error.errors.find((e) => e.path === "reason") : undefined);

/**
 * Approve, reject or refer. The reason is checked at the field by the same schemas the server uses (reject and
 * refer need one); the mutation is optimistic (the page shows the decision at once, and puts it back if refused).
 */
export function DecisionPanel({ quote, agentId, onWritten }: { quote: AdminQuoteView; agentId: string; onWritten: (version: number) => void }) {
  const queryClient = useQueryClient();
  const queryKey = quoteQueryKey(quote.quoteId);
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  // Before JavaScript loads, the form posts to a server action; its refusal is shown until the script decides itself.
  const [posted, postForm] = useActionState(decideQuoteWithForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    clearErrors,
    reset,
    setFocus,
    formState: { errors },
  } = useForm<{ reason: string }>({ defaultValues: { reason: posted.reason } });

  const mutation = useMutation({
    mutationFn: async ({ decision, reason }: { decision: Decision; reason?: string }) => {
      const result = await decideQuoteAction({ quoteId: quote.quoteId, decision, reason, idempotencyKey: crypto.randomUUID() });
      if (!result.ok) throw new ActionRefused(result);
      return result.value;
    },
    onMutate: async ({ decision, reason }) => {
      setProblem(null);
      await queryClient.cancelQueries({ queryKey });
      const previous = queryClient.getQueryData<AdminQuoteView>(queryKey);
      const outcome = DECISION_OUTCOME[decision];
      queryClient.setQueryData<AdminQuoteView>(queryKey, (old) => (old ? { ...old, status: outcome, decision: { outcome, reason: reason ?? null, agentId }, decidedBy: "you" } : old));
      return { previous };
    },
    onError: (error, _variables, context) => {
      if (context?.previous) queryClient.setQueryData(queryKey, context.previous);
      const appError: AppError = error instanceof ActionRefused ? error.result.error : { kind: "unavailable", detail: "The decision could not be sent. Check your connection and try again." };
      const reasonError = reasonErrorOf(appError);
      if (reasonError) {
        setError("reason", { message: reasonError.message }, { shouldFocus: true });
      } else {
        setProblem(explain(appError));
      }
      toast.error(explain(appError));
    },
    onSuccess: (value, { decision }) => {
      onWritten(value.version);
      reset({ reason: "" });
      toast.success(DECISION_DONE[decision]);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });

  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  const submit = (decision: Decision) =>
    handleSubmit(({ reason }) => {
      setScripted(true);
      clearErrors("reason");
      const parsed = SCHEMA[decision].safeParse({ reason });
      if (!parsed.success) {
        setError("reason", { message: parsed.error.issues[0]?.message ?? "Check the reason" });
        setFocus("reason");
        return;
      }
      mutation.mutate({ decision, reason: parsed.data.reason });
    });

  const open = quote.status === "submitted" || quote.status === "referred";
  const referredByRules = quote.status === "referred" && quote.underwriting?.outcome === "referred";
  const { decision } = quote;
  const postedReasonError = scripted ? undefined : reasonErrorOf(posted.error)?.message;
  const reasonError = errors.reason?.message ?? postedReasonError;
  const shownProblem = scripted ? problem : posted.error && !reasonErrorOf(posted.error) ? explain(posted.error) : null;

  return (
    <section aria-labelledby="decision-heading" className="decision">
      <h2 id="decision-heading">Decision</h2>
      {shownProblem && (
        <div className="alert" role="alert" tabIndex={-1} ref={problemRef} data-testid="decision-problem">
          <p>{shownProblem}</p>
        </div>
      )}
      {decision && (
        <p data-testid="decision-outcome">
          <strong>{STATUS_LABEL[decision.outcome]}</strong> by {quote.decidedBy ?? `agent ${decision.agentId}`}
          {decision.reason ? `: “${decision.reason}”` : ""}
        </p>
      )}
      <UnderwritingOutcome quote={quote} />
      {quote.status === "cancelled" ? (
        <p className="muted" data-testid="decision-withdrawn">
          The customer withdrew this quote, so it can no longer be approved, rejected or referred.
        </p>
      ) : quote.status === "expired" ? (
        <p className="muted" data-testid="decision-expired">
          This quote expired{quote.expiresAt ? ` on ${dateTime(quote.expiresAt)}` : ""} before it was decided, so it can no longer be approved, rejected or
          referred. The customer can start a new quote with the same answers.
        </p>
      ) : (
        !open &&
        !decision && (
          <p className="muted">{quote.status === "draft" ? "The customer has not submitted this quote yet, so it cannot be decided." : null}</p>
        )
      )}
      {open && (
        <form noValidate action={postForm} onSubmit={(event) => event.preventDefault()}>
          <input type="hidden" name="quoteId" value={quote.quoteId} />
          <input type="hidden" name="version" value={quote.version} />
          {quote.status === "referred" && (
            <p>
              {referredByRules
                ? "The underwriting rules referred this quote: approve it with a reason to override them, or reject it."
                : "This quote was referred for review: approve or reject it."}
            </p>
          )}
          <div className={`field${reasonError ? " invalid" : ""}`}>
            <label htmlFor="reason">Reason</label>
            <span className="hint" id="reason-hint">
              {referredByRules ? "Needed to reject, and to approve against the rules' referral." : "Needed to reject or refer; optional to approve."} Up to{" "}
              {MAX_REASON_LENGTH} characters.
            </span>
            {reasonError && (
              <p className="field-error" id="reason-error">
                {reasonError}
              </p>
            )}
            <textarea
              id="reason"
              maxLength={MAX_REASON_LENGTH + 50}
              defaultValue={posted.reason}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={reasonError ? "reason-hint reason-error" : "reason-hint"}
              {...register("reason")}
            />
          </div>
          <div className="buttons">
            <button type="submit" name="decision" value="approve" className="button approve" disabled={mutation.isPending} onClick={submit("approve")}>
              Approve
            </button>
            <button type="submit" name="decision" value="reject" className="button reject" disabled={mutation.isPending} onClick={submit("reject")}>
              Reject
            </button>
            {quote.status === "submitted" && (
              <button type="submit" name="decision" value="refer" className="button refer" disabled={mutation.isPending} onClick={submit("refer")}>
                Refer
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/** Which underwriting rules fired at submission and why, or that the quote was approved with none firing. */
function UnderwritingOutcome({ quote }: { quote: AdminQuoteView }) {
  const { underwriting } = quote;
  if (!underwriting) return null;
  if (underwriting.outcome === "approved") {
    return (
      <p data-testid="underwriting-approved">
        <strong>Approved automatically</strong>: no underwriting rule referred it (checked {underwriting.rules.join(", ")}).
      </p>
    );
  }
  return (
    <div data-testid="underwriting-reasons">
      <p>
        <strong>Referred automatically</strong> by the underwriting rules:
      </p>
      <ul>
        {underwriting.reasons.map(({ rule, reason }) => (
          <li key={rule} data-rule={rule}>
            {reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
