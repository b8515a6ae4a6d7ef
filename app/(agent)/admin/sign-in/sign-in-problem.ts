/** What went wrong, in words, from the answer of Better Auth's sign-in endpoint: the same whichever form path asked. */
export function signInProblem(answer: { status: number; headers: Pick<Headers, "get"> }): string {
  if (answer.status === 401) return "The email address or password is not right. Check them and try again.";
  if (answer.status === 429) {
    const wait = Number(answer.headers.get("x-retry-after") ?? answer.headers.get("retry-after") ?? "60");
    return `Too many sign-in attempts. Wait ${wait} second${wait === 1 ? "" : "s"}, then try again.`;
  }
  if (answer.status === 403) return "Sign-in was refused from this page. Reload it and try again.";
  return "We could not sign you in just now. Try again in a moment.";
}
