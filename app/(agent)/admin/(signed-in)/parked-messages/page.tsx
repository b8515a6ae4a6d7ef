import type { Metadata } from "next";
import { ParkedMessages } from "@/components/admin/parked-messages";
import { requireAgentPage } from "@/lib/auth/server";
import { prisma } from "@/lib/db/prisma";
import { activeGeneration, readModelClient } from "@/lib/projections/generations";
import { deadLetterSummary } from "@/lib/projections/parked-messages";

export const metadata: Metadata = { title: "Parked messages" };

/** Messages the projector could not apply, with the reason, and how many of their quotes' events wait behind them. */
export default async function ParkedMessagesPage() {
  await requireAgentPage("/admin/parked-messages");
  const summary = await deadLetterSummary(readModelClient(await activeGeneration(prisma())));
  return (
    <>
      <h1>Parked messages</h1>
      {summary.parked === 0 ? <p>No message is parked: every quote event has been projected.</p> : null}
      <ParkedMessages summary={summary} />
    </>
  );
}
