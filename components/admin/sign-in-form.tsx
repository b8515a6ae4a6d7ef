"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "../toasts/toast";
import { signInWithForm, type SignInFormState } from "@/app/(agent)/admin/sign-in/actions";
import { signInProblem } from "@/app/(agent)/admin/sign-in/sign-in-problem";
import { signInSchema, type SignInInput } from "@/schemas/admin";
import { schemaResolver } from "../forms/schema-resolver";

const NOTHING_POSTED: SignInFormState = { email: "", errors: {}, problem: null };

/**
 * Email and password, checked by the same schema on both sides. With JavaScript, posts to Better Auth's endpoint
 * (where the rate limit applies); the session comes back as an httpOnly cookie. Before JavaScript loads, the form
 * posts (never GETs: the password stays out of every URL) to a server action that goes through the same endpoint.
 */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [posted, postForm] = useActionState(signInWithForm, NOTHING_POSTED);
  const [scripted, setScripted] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput, unknown, SignInInput>({ resolver: schemaResolver<SignInInput, SignInInput>(async () => signInSchema), defaultValues: { email: posted.email, password: "" } });

  const submitWithScript = handleSubmit(async (values) => {
    setProblem(null);
    let res: Response;
    try {
      res = await fetch("/api/auth/sign-in/email", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(values) });
    } catch {
      res = new Response(null, { status: 503 });
    }
    if (res.ok) {
      toast.success("Signed in");
      router.replace(next);
      router.refresh();
      return;
    }
    setProblem(signInProblem(res));
  });
  // What the server action answered a post made before JavaScript loaded, until the script submits itself.
  const shown = scripted ? { problem, errors: {} } : { problem: posted.problem, errors: posted.errors };
  const emailError = errors.email?.message ?? shown.errors.email;
  const passwordError = errors.password?.message ?? shown.errors.password;
  // The refusal is announced (role="alert") and focused, so a keyboard user lands on it.
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  return (
    <form
      action={postForm}
      onSubmit={(event) => {
        setScripted(true);
        return submitWithScript(event);
      }}
      noValidate
      aria-describedby={shown.problem ? "sign-in-problem" : undefined}
    >
      <input type="hidden" name="returnTo" value={next} />
      {shown.problem && (
        <div className="alert" role="alert" id="sign-in-problem" tabIndex={-1} ref={problemRef}>
          <p>{shown.problem}</p>
        </div>
      )}
      <div className={`field${emailError ? " invalid" : ""}`}>
        <label htmlFor="email">Email address</label>
        {emailError && (
          <p className="field-error" id="email-error">
            {emailError}
          </p>
        )}
        <input
          id="email"
          type="email"
          autoComplete="username"
          spellCheck={false}
          defaultValue={posted.email}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? "email-error" : undefined}
          {...register("email")}
        />
      </div>
      <div className={`field${passwordError ? " invalid" : ""}`}>
        <label htmlFor="password">Password</label>
        {passwordError && (
          <p className="field-error" id="password-error">
            {passwordError}
          </p>
        )}
        <input id="password" type="password" autoComplete="current-password" aria-invalid={passwordError ? true : undefined} aria-describedby={passwordError ? "password-error" : undefined} {...register("password")} />
      </div>
      <button type="submit" className="button" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
