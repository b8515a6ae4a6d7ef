import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { familyFieldPath } from "../../lib/customer/wizard-form-values";
import { placePostedErrors } from "./posted-field-errors";

describe("placePostedErrors (a server action's field errors on a form posted without JavaScript)", () => {
  it("keeps each field's first message, under the form's name for it", () => {
    const placed = placePostedErrors(
      [
        { path: "numberOfDependents", message: "Enter the number of dependents as a number, like 2" },
        { path: "numberOfDependents", message: "a second message" },
        { path: "childrenNames.1", message: "Enter each child's name, or remove the empty one" },
        { path: "childrenNames", message: "You listed 2 children but 1 dependent" },
      ],
      ["numberOfDependents", "spouseName", "childrenNames"],
      familyFieldPath,
    );
    assert.deepEqual(placed.byField, {
      numberOfDependents: "Enter the number of dependents as a number, like 2",
      "childrenNames.1.name": "Enter each child's name, or remove the empty one",
      "childrenNames.root": "You listed 2 children but 1 dependent",
    });
    assert.deepEqual(placed.unplaced, []);
  });

  it("returns the messages about the whole form or fields it does not show", () => {
    const placed = placePostedErrors([{ path: "", message: "whole form" }, { path: "nickname", message: "Unknown field" }], ["email", "phoneNumber"]);
    assert.deepEqual(placed, { byField: {}, unplaced: ["whole form", "Unknown field"] });
  });
});
