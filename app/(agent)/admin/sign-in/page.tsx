import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { SignOutButton } from "@/components/admin/sign-out-button";
import { currentAgent, safeReturnPath } from "@/lib/auth/server";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeReturnPath(params.next);
  const check = await currentAgent();
  if (check.ok) redirect(next);
  const signedInAsOther = check.error.kind === "forbidden";
  return (
    <div className="sign-in">
      <h1>Sign in as an agent</h1>
      {signedInAsOther && (
        <div className="alert" role="alert">
          <p>{check.error.detail}</p>
          <p>Sign out, then sign in with an agent account.</p>
          <SignOutButton />
        </div>
      )}
      {!signedInAsOther && params.next && (
        <p className="alert info">Sign in to continue to the agent admin.</p>
      )}
      <SignInForm next={next} />
    </div>
  );
}
