"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { signInSchema, type SignInInput } from "@/schemas/admin";
import { zodResolver } from "./zod-resolver";

/** What went wrong, in words, from the sign-in endpoint's answer. */
function signInProblem(res: Response): string {
  if (res.status === 401) return "The email address or password is not right. Check them and try again.";
  if (res.status === 429) {
    const wait = Number(res.headers.get("x-retry-after") ?? res.headers.get("retry-after") ?? "60");
    return `Too many sign-in attempts. Wait ${wait} second${wait === 1 ? "" : "s"}, then try again.`;
  }
  if (res.status === 403) return "Sign-in was refused from this page. Reload it and try again.";
  return "We could not sign you in just now. Try again in a moment.";
}

/**
 * Email and password, checked by the same schema on both sides. Posts to Better Auth's endpoint (where the rate
 * limit applies); the session comes back as an httpOnly cookie.
 */
export function SignInForm({ next }: { next: string }) {
  const router = useRouter();
  const [problem, setProblem] = useState<string | null>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput, unknown, SignInInput>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = handleSubmit(async (values) => {
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
  // The refusal is announced (role="alert") and focused, so a keyboard user lands on it.
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={problem ? "sign-in-problem" : undefined}>
      {problem && (
        <div className="alert" role="alert" id="sign-in-problem" tabIndex={-1} ref={problemRef}>
          <p>{problem}</p>
        </div>
      )}
      <div className={`field${errors.email ? " invalid" : ""}`}>
        <label htmlFor="email">Email address</label>
        {errors.email && (
          <p className="field-error" id="email-error">
            {errors.email.message}
          </p>
        )}
        <input id="email" type="email" autoComplete="username" spellCheck={false} aria-invalid={errors.email ? true : undefined} aria-describedby={errors.email ? "email-error" : undefined} {...register("email")} />
      </div>
      <div className={`field${errors.password ? " invalid" : ""}`}>
        <label htmlFor="password">Password</label>
        {errors.password && (
          <p className="field-error" id="password-error">
            {errors.password.message}
          </p>
        )}
        <input id="password" type="password" autoComplete="current-password" aria-invalid={errors.password ? true : undefined} aria-describedby={errors.password ? "password-error" : undefined} {...register("password")} />
      </div>
      <button type="submit" className="button" disabled={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
