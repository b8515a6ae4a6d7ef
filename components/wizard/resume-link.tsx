"use client";

import { toast } from "sonner";

/** The private link that opens this quote in any browser (it carries the access token). Shown on every page. */
export function ResumeLink({ url }: { url: string }) {
  const copy = async () => {
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
        Your answers are saved each time you continue. To carry on later, on this or another device, open your
        resume link. Keep it private: anyone who has it can see and change your quote.
      </p>
      <div className="resume-row">
        <label className="field-label" htmlFor="resume-link">
          Your resume link
        </label>
        <input id="resume-link" className="input resume-input" readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button button--secondary" onClick={copy}>
          Copy resume link
        </button>
      </div>
    </section>
  );
}
