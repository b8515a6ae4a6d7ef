import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextPath, resumePath } from "./wizard-steps";

const id = "7d3f6a1e-0000-4000-8000-000000000001";
const geo = { country: "US" as const, state: "IL", city: "Springfield", zipCode: "62701" };
const contact = { email: "ada@example.com", phoneNumber: "5550100" };
const family = { numberOfDependents: 0, childrenNames: [] };

describe("resumePath (where a returning customer lands)", () => {
  it("is the first page without answers", () => {
    assert.equal(resumePath(id, { status: "draft", geographicDetails: null, contactDetails: null, familyDetails: null }), `/quote/${id}/geographic`);
    assert.equal(resumePath(id, { status: "draft", geographicDetails: geo, contactDetails: null, familyDetails: family }), `/quote/${id}/contact`);
  });

  it("is the review page when every page is answered, and the outcome page once submitted", () => {
    assert.equal(resumePath(id, { status: "draft", geographicDetails: geo, contactDetails: contact, familyDetails: family }), `/quote/${id}/review`);
    assert.equal(resumePath(id, { status: "approved", geographicDetails: geo, contactDetails: contact, familyDetails: family }), `/quote/${id}/submitted`);
  });
});

describe("nextPath", () => {
  it("goes on to the next step, or back to the review page after a Change link", () => {
    assert.equal(nextPath(id, "geographic", false), `/quote/${id}/contact`);
    assert.equal(nextPath(id, "family", false), `/quote/${id}/review`);
    assert.equal(nextPath(id, "geographic", true), `/quote/${id}/review`);
  });
});
