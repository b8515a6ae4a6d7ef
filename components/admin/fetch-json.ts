/** A failed admin API call, with the problem+json's status and detail. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
    throw new ApiProblem(res.status, problem?.detail ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}

export function problemText(error: unknown): string {
  if (error instanceof ApiProblem && error.status === 401) return "Your session has ended. Sign in again to continue.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
