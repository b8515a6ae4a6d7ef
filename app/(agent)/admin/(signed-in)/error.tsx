"use client";

import Link from "next/link";

/** An unexpected failure on an admin page (a backing service down, a bug): say so, offer to try again. */
export default function AdminError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <>
      <h1>This page could not be loaded</h1>
      <div className="alert" role="alert">
        <p>Something went wrong on our side. Nothing was changed.</p>
        {error.digest && <p className="muted">Reference: {error.digest}</p>}
      </div>
      <p>
        <button type="button" className="button" onClick={() => retry()}>
          Try again
        </button>{" "}
        <Link href="/admin/quotes">Go to the quote list</Link>
      </p>
    </>
  );
}
