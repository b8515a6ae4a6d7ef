/**
 * Which values of the quote's events are personal data: what the store encrypts under the quote's own key and what
 * erasure makes unreadable. Pure: it only names the fields and maps over them; the encryption is infrastructure's.
 */
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../../schemas/quote";
import type { QuoteAnswers } from "./state";

/** What a personal value reads as once its quote's personal data was erased. */
export const ERASED = "[erased]";

export const isErased = (value: unknown): boolean => value === ERASED;

/** The event types that carry personal values. An agent's note counts: its free text may name or describe the customer. */
export const PERSONAL_EVENT_TYPES = ["GeographicDetailsCaptured", "ContactDetailsCaptured", "FamilyDetailsCaptured", "QuoteNoteAdded"] as const;

export const carriesPersonalData = (type: string): boolean => (PERSONAL_EVENT_TYPES as readonly string[]).includes(type);

type Details = Record<string, unknown>;

/**
 * The event's data with each personal value replaced by `map(value)`: city and ZIP/postal code, email and phone
 * number, spouse's and children's names, a note's text. Everything else (country, state, number of dependents, the
 * note's author) is left as it is. Data of other types comes back unchanged.
 */
export function mapPersonalValues(type: string, data: unknown, map: (value: unknown) => unknown): unknown {
  if (!carriesPersonalData(type) || data === null || typeof data !== "object") return data;
  if (type === "QuoteNoteAdded") return { ...data, note: map((data as { note?: unknown }).note) };
  const details = (data as { details?: unknown }).details;
  if (details === null || typeof details !== "object") return data;
  return { ...data, details: mapDetails(type, details as Details, map) };
}

function mapDetails(type: string, details: Details, map: (value: unknown) => unknown): Details {
  switch (type) {
    case "GeographicDetailsCaptured":
      return { ...details, city: map(details.city), zipCode: map(details.zipCode) };
    case "ContactDetailsCaptured":
      return { ...details, email: map(details.email), phoneNumber: map(details.phoneNumber) };
    case "FamilyDetailsCaptured": {
      const { spouseName, childrenNames } = details;
      return {
        ...details,
        ...(spouseName === undefined || spouseName === null ? {} : { spouseName: map(spouseName) }),
        childrenNames: Array.isArray(childrenNames) ? childrenNames.map(map) : childrenNames,
      };
    }
    default:
      return details;
  }
}

const erase = () => ERASED;

/** The answers with every personal value erased; what is not personal (country, state, dependents) stays. */
export function eraseAnswers(answers: QuoteAnswers): QuoteAnswers {
  return {
    geographicDetails: answers.geographicDetails && (mapDetails("GeographicDetailsCaptured", answers.geographicDetails, erase) as GeographicDetails),
    contactDetails: answers.contactDetails && (mapDetails("ContactDetailsCaptured", answers.contactDetails, erase) as ContactDetails),
    familyDetails: answers.familyDetails && (mapDetails("FamilyDetailsCaptured", answers.familyDetails, erase) as FamilyDetails),
  };
}
