import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { z } from "zod";
import {
  CANADIAN_PROVINCES,
  COUNTRIES,
  GB_NATIONS,
  US_STATES,
  approveQuoteBodySchema,
  contactDetailsSchema,
  decisionReasonSchema,
  familyDetailsSchema,
  geographicDetailsSchema,
  referQuoteBodySchema,
  regionName,
  rejectQuoteBodySchema,
} from "./quote";

type Issue = { path: string; message: string };

function issuesOf(schema: z.core.$ZodType, input: unknown): Issue[] {
  const result = z.safeParse(schema, input);
  assert.equal(result.success, false, `expected ${JSON.stringify(input)} to be refused`);
  return result.error!.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

/** The input is refused with exactly this one problem. */
function refusesWith(schema: z.core.$ZodType, input: unknown, path: string, message: string | RegExp) {
  const issues = issuesOf(schema, input);
  assert.equal(issues.length, 1, `expected one issue, got ${JSON.stringify(issues)}`);
  assert.equal(issues[0]!.path, path);
  if (typeof message === "string") assert.equal(issues[0]!.message, message);
  else assert.match(issues[0]!.message, message);
}

function parses<S extends z.core.$ZodType>(schema: S, input: unknown): z.output<S> {
  const result = z.safeParse(schema, input);
  assert.ok(result.success, `expected ${JSON.stringify(input)} to parse: ${JSON.stringify(result.error?.issues)}`);
  return result.data;
}

describe("reference lists", () => {
  it("cover the supported countries and all their regions", () => {
    assert.deepEqual(
      COUNTRIES.map((c) => c.code),
      ["US", "CA", "GB"],
    );
    assert.equal(US_STATES.length, 51);
    assert.ok(US_STATES.some((s) => s.code === "DC"));
    assert.equal(CANADIAN_PROVINCES.length, 13);
    assert.deepEqual(
      GB_NATIONS.map((n) => n.code),
      ["ENG", "SCT", "WLS", "NIR"],
    );
    for (const list of [US_STATES, CANADIAN_PROVINCES, GB_NATIONS]) {
      assert.equal(new Set(list.map((r) => r.code)).size, list.length);
    }
    assert.equal(regionName("US", "CA"), "California");
    assert.equal(regionName("CA", "CA"), undefined);
  });
});

describe("geographicDetailsSchema", () => {
  const valid = { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" };

  it("accepts a US address, and ZIP+4", () => {
    assert.deepEqual(parses(geographicDetailsSchema, valid), valid);
    assert.equal(parses(geographicDetailsSchema, { ...valid, zipCode: "94103-1234" }).zipCode, "94103-1234");
  });

  it("normalises: trims, uppercases state codes and formats Canadian and UK postcodes", () => {
    const toronto = { country: "CA", state: " on ", city: " Toronto ", zipCode: "m5v2t6" };
    assert.deepEqual(parses(geographicDetailsSchema, toronto), {
      country: "CA",
      state: "ON",
      city: "Toronto",
      zipCode: "M5V 2T6",
    });
    const edinburgh = { country: "GB", state: "sct", city: "Edinburgh", zipCode: "eh1  1yz" };
    assert.deepEqual(parses(geographicDetailsSchema, edinburgh), {
      country: "GB",
      state: "SCT",
      city: "Edinburgh",
      zipCode: "EH1 1YZ",
    });
    assert.equal(
      parses(geographicDetailsSchema, { country: "GB", state: "ENG", city: "London", zipCode: "SW1A 1AA" }).zipCode,
      "SW1A 1AA",
    );
  });

  it("refuses a country we do not cover", () => {
    refusesWith(
      geographicDetailsSchema,
      { ...valid, country: "FR" },
      "country",
      "Choose a country we cover: United States, Canada or United Kingdom",
    );
  });

  it("refuses a state that is not in the chosen country, at path state", () => {
    refusesWith(
      geographicDetailsSchema,
      { ...valid, state: "ON" },
      "state",
      "Choose a state of the United States (or the District of Columbia)",
    );
    refusesWith(
      geographicDetailsSchema,
      { country: "CA", state: "CA", city: "Toronto", zipCode: "M5V 2T6" },
      "state",
      "Choose a province or territory of Canada",
    );
    refusesWith(
      geographicDetailsSchema,
      { country: "GB", state: "LDN", city: "London", zipCode: "SW1A 1AA" },
      "state",
      /England, Scotland, Wales or Northern Ireland/,
    );
  });

  it("asks for a missing state and city", () => {
    refusesWith(geographicDetailsSchema, { ...valid, state: " " }, "state", "Choose your state, province or nation");
    refusesWith(geographicDetailsSchema, { ...valid, city: "  " }, "city", "Enter your city");
    refusesWith(geographicDetailsSchema, { country: "US", state: "CA", zipCode: "94103" }, "city", "Enter your city");
  });

  it("refuses a city over 100 characters", () => {
    refusesWith(
      geographicDetailsSchema,
      { ...valid, city: "x".repeat(101) },
      "city",
      "City must be 100 characters or fewer",
    );
    parses(geographicDetailsSchema, { ...valid, city: "x".repeat(100) });
  });

  it("checks the ZIP code by the country's format, at path zipCode", () => {
    const usMessage = "ZIP code must be 5 digits, like 94103, or ZIP+4, like 94103-1234";
    for (const zipCode of ["9410", "941033", "94103-12", "ABCDE", "M5V 2T6"]) {
      refusesWith(geographicDetailsSchema, { ...valid, zipCode }, "zipCode", usMessage);
    }
    const canada = { country: "CA", state: "ON", city: "Toronto" };
    for (const zipCode of ["94103", "M5V 2T", "D5V 2T6", "W5V 2T6"]) {
      refusesWith(
        geographicDetailsSchema,
        { ...canada, zipCode },
        "zipCode",
        "Postal code must look like A1A 1A1, for example K1A 0B1",
      );
    }
    const uk = { country: "GB", state: "ENG", city: "London" };
    for (const zipCode of ["94103", "SW1A", "QA1 1AA", "SW1A 1CA"]) {
      refusesWith(geographicDetailsSchema, { ...uk, zipCode }, "zipCode", "Enter a valid UK postcode, like SW1A 1AA");
    }
  });

  it("asks for a missing ZIP code", () => {
    refusesWith(geographicDetailsSchema, { ...valid, zipCode: "" }, "zipCode", "Enter your ZIP or postal code");
  });

  it("reports every problem at once", () => {
    assert.deepEqual(issuesOf(geographicDetailsSchema, { country: "US", state: "ZZ", city: "", zipCode: "1" }), [
      { path: "city", message: "Enter your city" },
      { path: "state", message: "Choose a state of the United States (or the District of Columbia)" },
      { path: "zipCode", message: "ZIP code must be 5 digits, like 94103, or ZIP+4, like 94103-1234" },
    ]);
  });

  it("refuses unknown fields", () => {
    refusesWith(
      geographicDetailsSchema,
      { ...valid, county: "SF" },
      "",
      'Unknown field "county": remove it and try again',
    );
  });

  it("refuses something that is not an object", () => {
    refusesWith(geographicDetailsSchema, null, "", "Send these details as an object with the fields of the form");
  });
});

describe("contactDetailsSchema", () => {
  const valid = { email: "ada@example.com", phoneNumber: "+1 (415) 555-0100" };

  it("accepts valid details, lowercasing and trimming the email", () => {
    assert.deepEqual(parses(contactDetailsSchema, { ...valid, email: "  Ada@Example.COM " }), valid);
  });

  it("refuses an invalid email", () => {
    for (const email of ["ada", "ada@", "ada@example", "@example.com", "ada example@x.com"]) {
      refusesWith(
        contactDetailsSchema,
        { ...valid, email },
        "email",
        "Enter a valid email address, like name@example.com",
      );
    }
  });

  it("asks for a missing email", () => {
    refusesWith(contactDetailsSchema, { ...valid, email: " " }, "email", "Enter your email address");
    refusesWith(contactDetailsSchema, { phoneNumber: valid.phoneNumber }, "email", "Enter your email address");
  });

  it("refuses an email longer than 254 characters", () => {
    const email = `${"a".repeat(64)}@${"b".repeat(185)}.com`; // 254
    parses(contactDetailsSchema, { ...valid, email });
    refusesWith(
      contactDetailsSchema,
      { ...valid, email: `a${email}` },
      "email",
      "Email address must be 254 characters or fewer",
    );
  });

  it("accepts phone numbers with digits, spaces, +, - and brackets", () => {
    for (const phoneNumber of ["5550100", "+44 20 7946 0958", "(415) 555-0100", "+1-415-555-0100", "123456789012345"]) {
      parses(contactDetailsSchema, { ...valid, phoneNumber });
    }
  });

  it("refuses other characters in a phone number", () => {
    for (const phoneNumber of ["555-0100 ext 3", "555.010.0100", "1+415 555 0100"]) {
      refusesWith(
        contactDetailsSchema,
        { ...valid, phoneNumber },
        "phoneNumber",
        "Phone number can only contain digits, spaces, brackets, dashes and a leading +",
      );
    }
  });

  it("needs 7 to 15 digits", () => {
    refusesWith(
      contactDetailsSchema,
      { ...valid, phoneNumber: "+1 (55) 01-0" },
      "phoneNumber",
      "Phone number is too short: it needs at least 7 digits",
    );
    refusesWith(
      contactDetailsSchema,
      { ...valid, phoneNumber: "1234 5678 9012 3456" },
      "phoneNumber",
      "Phone number is too long: it can have at most 15 digits",
    );
  });

  it("asks for a missing phone number", () => {
    refusesWith(contactDetailsSchema, { ...valid, phoneNumber: "" }, "phoneNumber", "Enter your phone number");
  });

  it("refuses unknown fields", () => {
    refusesWith(contactDetailsSchema, { ...valid, fax: "1" }, "", 'Unknown field "fax": remove it and try again');
  });
});

describe("familyDetailsSchema", () => {
  const valid = { numberOfDependents: 2, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] };

  it("accepts valid details and trims names", () => {
    assert.deepEqual(
      parses(familyDetailsSchema, { ...valid, spouseName: " Grace ", childrenNames: [" Alan", "Barbara "] }),
      valid,
    );
  });

  it("treats a blank or missing spouse name as no spouse", () => {
    assert.equal(parses(familyDetailsSchema, { ...valid, spouseName: "" }).spouseName, undefined);
    assert.equal(parses(familyDetailsSchema, { ...valid, spouseName: "   " }).spouseName, undefined);
    assert.equal(parses(familyDetailsSchema, { numberOfDependents: 2, childrenNames: [] }).spouseName, undefined);
  });

  it("needs a whole number of dependents from 0 to 12, as a number", () => {
    refusesWith(
      familyDetailsSchema,
      { ...valid, numberOfDependents: "2" },
      "numberOfDependents",
      "Enter the number of dependents as a number, like 2",
    );
    refusesWith(
      familyDetailsSchema,
      { ...valid, numberOfDependents: 2.5 },
      "numberOfDependents",
      "Number of dependents must be a whole number",
    );
    refusesWith(
      familyDetailsSchema,
      { numberOfDependents: -1, childrenNames: [] },
      "numberOfDependents",
      "Number of dependents can't be negative",
    );
    refusesWith(
      familyDetailsSchema,
      { ...valid, numberOfDependents: 13 },
      "numberOfDependents",
      "We can cover up to 12 dependents",
    );
    parses(familyDetailsSchema, { numberOfDependents: 0, childrenNames: [] });
    parses(familyDetailsSchema, { numberOfDependents: 12, childrenNames: [] });
  });

  it("refuses a spouse name over 100 characters", () => {
    refusesWith(
      familyDetailsSchema,
      { ...valid, spouseName: "x".repeat(101) },
      "spouseName",
      "Spouse's name must be 100 characters or fewer",
    );
  });

  it("refuses blank or over-long children's names, at the child's index", () => {
    refusesWith(
      familyDetailsSchema,
      { ...valid, childrenNames: ["Alan", " "] },
      "childrenNames.1",
      "Enter each child's name, or remove the empty one",
    );
    refusesWith(
      familyDetailsSchema,
      { ...valid, childrenNames: ["x".repeat(101)] },
      "childrenNames.0",
      "Each child's name must be 100 characters or fewer",
    );
  });

  it("needs the children's names as a list", () => {
    refusesWith(
      familyDetailsSchema,
      { numberOfDependents: 0 },
      "childrenNames",
      "List your children's names, or leave the list empty",
    );
  });

  it("refuses more children than dependents, at path childrenNames", () => {
    refusesWith(
      familyDetailsSchema,
      { ...valid, numberOfDependents: 1 },
      "childrenNames",
      "You listed 2 children but 1 dependent: count every child in your number of dependents",
    );
    parses(familyDetailsSchema, { ...valid, numberOfDependents: 3 }); // a dependent need not be a child
  });

  it("refuses more than 12 children", () => {
    const childrenNames = Array.from({ length: 13 }, (_, i) => `Child ${i}`);
    const issues = issuesOf(familyDetailsSchema, { numberOfDependents: 12, childrenNames });
    assert.ok(issues.some((i) => i.path === "childrenNames" && i.message === "You can list up to 12 children"));
  });

  it("refuses unknown fields", () => {
    refusesWith(familyDetailsSchema, { ...valid, pets: 2 }, "", 'Unknown field "pets": remove it and try again');
  });
});

describe("decision schemas", () => {
  it("a decision reason is 1 to 500 characters, trimmed", () => {
    assert.equal(parses(decisionReasonSchema, "  Low risk "), "Low risk");
    refusesWith(decisionReasonSchema, " ", "", "Enter a reason");
    refusesWith(decisionReasonSchema, "x".repeat(501), "", "Reason must be 500 characters or fewer");
  });

  it("approving needs no reason; a blank one counts as none", () => {
    assert.equal(parses(approveQuoteBodySchema, {}).reason, undefined);
    assert.equal(parses(approveQuoteBodySchema, { reason: "  " }).reason, undefined);
    assert.equal(parses(approveQuoteBodySchema, { reason: " Low risk " }).reason, "Low risk");
    refusesWith(
      approveQuoteBodySchema,
      { reason: "x".repeat(501) },
      "reason",
      "Reason must be 500 characters or fewer",
    );
  });

  it("rejecting and referring need a reason", () => {
    refusesWith(rejectQuoteBodySchema, {}, "reason", "Enter a reason for rejecting this quote");
    refusesWith(rejectQuoteBodySchema, { reason: "" }, "reason", "Enter a reason for rejecting this quote");
    refusesWith(referQuoteBodySchema, { reason: "  " }, "reason", "Enter a reason for referring this quote");
    assert.deepEqual(
      parses(referQuoteBodySchema, { reason: "Needs an underwriter" }),
      { reason: "Needs an underwriter" },
    );
  });

  it("refuse unknown fields", () => {
    refusesWith(
      approveQuoteBodySchema,
      { reason: "ok", agentId: "me" },
      "",
      'Unknown field "agentId": remove it and try again',
    );
    refusesWith(
      rejectQuoteBodySchema,
      { reason: "no", a: 1, b: 2 },
      "",
      'Unknown fields "a", "b": remove them and try again',
    );
  });
});

describe("free text (PostgreSQL cannot store a NUL or half a surrogate pair)", () => {
  const NOT_PLAIN = ["San\u0000Jose", "San\udae2Jose", "\u001bx"];
  const address = { country: "US", state: "CA", zipCode: "94103" };

  it("refuses control characters and broken characters in the city and the names, naming the field", () => {
    for (const bad of [...NOT_PLAIN, "two\nlines"]) {
      refusesWith(geographicDetailsSchema, { ...address, city: bad }, "city", "City must be plain text, without control characters");
      refusesWith(familyDetailsSchema, { numberOfDependents: 1, spouseName: bad, childrenNames: [] }, "spouseName", "Spouse's name must be plain text, without control characters");
      refusesWith(familyDetailsSchema, { numberOfDependents: 1, childrenNames: [bad] }, "childrenNames.0", "Each child's name must be plain text, without control characters");
    }
    assert.equal(parses(geographicDetailsSchema, { ...address, city: "São Paulo 🏙" }).city, "São Paulo 🏙");
  });

  it("lets a reason run over lines, but not carry control characters", () => {
    for (const bad of NOT_PLAIN) {
      refusesWith(rejectQuoteBodySchema, { reason: bad }, "reason", "Reason must be plain text, without control characters");
      refusesWith(approveQuoteBodySchema, { reason: bad }, "reason", "Reason must be plain text, without control characters");
    }
    assert.equal(parses(referQuoteBodySchema, { reason: "Two points:\r\n\t1. income\n\t2. cover" }).reason, "Two points:\r\n\t1. income\n\t2. cover");
  });
});
