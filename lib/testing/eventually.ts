/** Polls `check` until it gives a truthy value, which it returns; throws naming `what` after `limitMs`. */
export async function eventually<T>(check: () => Promise<T | false | null | undefined>, limitMs = 30_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
