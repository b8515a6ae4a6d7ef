"use client";

import { useActionState } from "react";
import { toast } from "../toasts/toast";
import { createResumeLinkAction, revokeOtherAccessAction, type ResumeLinkState, type RevokeAccessState } from "@/app/(customer)/_actions/resume-links";

/**
 * "Save and come back later": a private link made on request (never rendered into the page before), and a way to
 * turn every such link off, together with every other device that opened the quote.
 */
export function ResumeLink({ quoteId }: { quoteId: string }) {
  const [link, createLink, creating] = useActionState<ResumeLinkState, FormData>(createResumeLinkAction, { link: null, code: null, error: null });
  const [revoked, revoke, revoking] = useActionState<RevokeAccessState, FormData>(revokeOtherAccessAction, { message: null, error: null });
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      toast.success("Resume link copied", { description: "Keep it private: anyone with it can open your quote." });
    } catch {
      toast.error("We couldn't copy the link", { description: "Select the link and copy it yourself." });
    }
  };
  return (
    <section className="resume" aria-labelledby="resume-title">
      <h2 id="resume-title">Save and come back later</h2>
      <p>
        Your answers are saved each time you continue. To carry on later on another device, make a private resume
        link. Anyone who has it can see and change your quote, so keep it to yourself.
      </p>
      {link.link ? (
        <div className="resume-row">
          <label className="field-label" htmlFor="resume-link">
            Your resume link
          </label>
          <input id="resume-link" className="input resume-input" readOnly value={link.link} onFocus={(event) => event.currentTarget.select()} />
          <button type="button" className="button button--secondary" onClick={() => copy(link.link!)}>
            Copy resume link
          </button>
          <p className="resume-code">
            Resume code, if the link&apos;s page asks for it: <code>{link.code}</code>
          </p>
        </div>
      ) : (
        <form action={createLink}>
          <input type="hidden" name="quoteId" value={quoteId} />
          {link.error ? (
            <p className="field-error" role="alert">
              {link.error}
            </p>
          ) : null}
          <button type="submit" className="button button--secondary" aria-disabled={creating || undefined}>
            Make a resume link
          </button>
        </form>
      )}
      <form action={revoke} className="resume-revoke">
        <input type="hidden" name="quoteId" value={quoteId} />
        <button type="submit" className="button button--link" aria-disabled={revoking || undefined}>
          Turn off my resume links and other devices
        </button>
        <span role="status">{revoked.message ?? revoked.error ?? ""}</span>
      </form>
    </section>
  );
}
