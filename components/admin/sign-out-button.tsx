"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "../toasts/toast";

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    try {
      const res = await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      if (!res.ok) throw new Error(`sign-out answered ${res.status}`);
      toast.success("Signed out");
      router.replace("/admin/sign-in");
      router.refresh();
    } catch {
      toast.error("Could not sign out. Check your connection and try again.");
      setPending(false);
    }
  }
  return (
    <button type="button" className="button secondary" onClick={signOut} disabled={pending}>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
