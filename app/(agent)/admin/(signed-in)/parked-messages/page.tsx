import type { Metadata } from "next";
import { ParkedMessages } from "@/components/admin/parked-messages";
import { parkedMessages } from "@/lib/agent/queries";
import { requireAgentPage } from "@/lib/auth/server";

export const metadata: Metadata = { title: "Parked messages" };

/** Messages the projector could not apply, with the reason, and how many of their quotes' events wait behind them. */
export default async function ParkedMessagesPage() {
  const session = await requireAgentPage("/admin/parked-messages");
  const result = await parkedMessages(session);
  if (!result.ok) throw new Error(`ListParkedMessages refused: ${result.error.detail}`);
  const summary = result.value;
  return (
    <>
      <h1>Parked messages</h1>
      {summary.parked === 0 ? <p>No message is parked: every quote event has been projected.</p> : null}
      <ParkedMessages summary={summary} />
    </>
  );
}
