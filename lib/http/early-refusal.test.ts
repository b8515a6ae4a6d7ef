import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { earlyRefusal, MAX_DECLARED_BODY_BYTES } from "./early-refusal";

describe("early refusal", () => {
  it("answers 405 with Allow to a method the app does not serve, on any path", () => {
    for (const method of ["TRACE", "CONNECT", "PROPFIND", "trace"]) {
      const refusal = earlyRefusal({ method, url: "/api/quotes", headers: {} });
      assert.equal(refusal?.status, 405, method);
      assert.equal(refusal?.allow, "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    }
  });

  it("refuses a declared body over the limit anywhere", () => {
    for (const url of ["/api/quotes", "/quote/x/contact", "/"]) {
      assert.equal(earlyRefusal({ method: "PUT", url, headers: { "content-length": String(MAX_DECLARED_BODY_BYTES + 1) } })?.status, 413);
    }
  });

  it("refuses a streamed body of unknown size posted to a page, which Next would hold before the action's limit", () => {
    assert.equal(earlyRefusal({ method: "POST", url: "/quote/x/contact", headers: { "transfer-encoding": "chunked" } })?.status, 411);
  });

  it("lets the API stream a chunked body: its routes stop reading at their own limit", () => {
    assert.equal(earlyRefusal({ method: "PUT", url: "/api/quotes/x/contact-details", headers: { "transfer-encoding": "chunked" } }), null);
  });

  it("lets a form's ordinary post and every GET through", () => {
    assert.equal(earlyRefusal({ method: "POST", url: "/quote/x/contact", headers: { "content-length": "900" } }), null);
    assert.equal(earlyRefusal({ method: "GET", url: "/", headers: {} }), null);
  });
});
