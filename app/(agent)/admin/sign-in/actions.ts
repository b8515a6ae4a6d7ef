"use server";

import { redirect } from "next/navigation";
import { safeReturnPath } from "@/lib/auth/server";
import { createLogger } from "@/lib/logging/logger";
import { signInSchema } from "@/schemas/admin";
import { keepSessionCookies, signInThroughBetterAuth } from "./better-auth-sign-in";
import { signInProblem } from "./sign-in-problem";

const log = createLogger("agent-sign-in");

/** What the sign-in form shows after a post without JavaScript that did not sign in. Never holds the password. */
export interface SignInFormState {
  email: string;
  errors: { email?: string; password?: string };
  problem: string | null;
}

/** The sign-in form posted before JavaScript loaded: on success the session cookie is set and the agent moves on. */
export async function signInWithForm(_previous: SignInFormState, formData: FormData): Promise<SignInFormState> {
  const field = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  const email = field("email");
  const parsed = signInSchema.safeParse({ email, password: field("password") });
  if (!parsed.success) {
    const errors: SignInFormState["errors"] = {};
    for (const issue of parsed.error.issues) {
      const name = issue.path[0];
      if ((name === "email" || name === "password") && !errors[name]) errors[name] = issue.message;
    }
    return { email, errors, problem: null };
  }
  let answer: Response;
  try {
    answer = await signInThroughBetterAuth(parsed.data);
  } catch (error) {
    log.error({ err: error }, "sign-in through Better Auth failed unexpectedly");
    answer = new Response(null, { status: 503 });
  }
  if (!answer.ok) return { email, errors: {}, problem: signInProblem(answer) };
  await keepSessionCookies(answer);
  redirect(safeReturnPath(field("returnTo")));
}
