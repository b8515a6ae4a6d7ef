import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CommandProgress } from "@/components/admin/command-progress";
import { commandBatch } from "@/lib/agent/bulk-decisions";
import { requireAgentPage } from "@/lib/auth/server";

export const metadata: Metadata = { title: "Bulk decision" };

/** Seconds between reloads while quotes wait: the page follows the command without JavaScript. */
const REFRESH_SECONDS = 2;

/** A bulk decision's progress and each quote's outcome; it reloads itself until every quote is handled. */
export default async function CommandPage({ params }: { params: Promise<{ commandId: string }> }) {
  const { commandId } = await params;
  const session = await requireAgentPage(`/admin/commands/${encodeURIComponent(commandId)}`);
  const result = await commandBatch(session, commandId);
  if (!result.ok && (result.error.kind === "not_found" || result.error.kind === "validation")) notFound();
  if (!result.ok) {
    return (
      <>
        <h1>Bulk decision</h1>
        <div className="alert" role="alert">
          <p>This bulk decision could not be loaded: {result.error.detail}</p>
        </div>
      </>
    );
  }
  return (
    <>
      {result.value.status !== "done" && <meta httpEquiv="refresh" content={String(REFRESH_SECONDS)} />}
      <CommandProgress command={result.value} headingLevel={1} />
      <p>
        <Link href="/admin/quotes">Back to the quotes</Link>
      </p>
    </>
  );
}
