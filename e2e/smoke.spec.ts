import { expect, test } from "./fixtures/test";

test("the home page greets a customer and the app reports itself ready", async ({ page, request }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Family cover, quoted in minutes");

  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
  const body = await ready.json();
  // A stranger learns only that it is ready: no check's detail, no broker address.
  expect(body).toEqual({ status: "ready" });
});
