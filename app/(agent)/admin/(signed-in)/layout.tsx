import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { ReactQueryProvider } from "@/components/react-query-provider";
import { currentAgent } from "@/lib/auth/server";

/**
 * The signed-in admin's frame. Each page below checks the session itself (and redirects to sign-in, back to the
 * exact page); this layout shows who is signed in and gives the pages React Query (the quote list and detail).
 */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const check = await currentAgent();
  return (
    <ReactQueryProvider>
      {check.ok && <AdminNav agentName={check.session.agent.name} agentEmail={check.session.agent.email} />}
      {children}
    </ReactQueryProvider>
  );
}
