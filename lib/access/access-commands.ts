import "server-only";
import { fail, ok } from "../cqrs/app-error";
import type { CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { quoteOnlyPayloadSchema, resumeQuotePayloadSchema } from "../../schemas/quote-commands";
import { anyone, customerWithAccess } from "./policies";
import { grantQuoteAccess, hasQuoteAccess, revokeOtherAccess, type AccessPolicy } from "./quote-access";

export const ACCESS_COMMAND_TYPES = ["CreateResumeLink", "RevokeOtherAccess", "ResumeQuote"] as const;

export interface ResumeLinkResponse {
  quoteId: string;
  /** Shown to the customer once; only its hash is kept. */
  resumeCode: string;
}
export interface RevokeOtherAccessResponse {
  quoteId: string;
  revoked: number;
}
export interface ResumeQuoteResponse {
  quoteId: string;
  /** A device token of this browser's own, for its httpOnly cookie. */
  accessToken: string;
}

type Deps = { db: PrismaClient; access: AccessPolicy };

/**
 * Who holds access to a quote: the customer asks for a resume link (a code that opens nothing by itself), turns
 * off every link and every other device, or, on another device, exchanges a resume code for a token of its own.
 * None of them takes an idempotency key: their answers hold secrets that must not be stored.
 */
export function accessCommandDefinitions(deps: Deps) {
  const customer = customerWithAccess(deps.db, deps.access);
  const createResumeLink: CommandDefinition<{ quoteId: string }, ResumeLinkResponse> = {
    type: "CreateResumeLink",
    schema: quoteOnlyPayloadSchema,
    authorize: customer,
    handle: async ({ payload }) => ok({ quoteId: payload.quoteId, resumeCode: await grantQuoteAccess(deps.db, payload.quoteId, "resume") }),
  };
  const revokeOthers: CommandDefinition<{ quoteId: string }, RevokeOtherAccessResponse> = {
    type: "RevokeOtherAccess",
    schema: quoteOnlyPayloadSchema,
    authorize: customer,
    handle: async ({ payload, metadata }) => ok({ quoteId: payload.quoteId, revoked: await revokeOtherAccess(deps.db, payload.quoteId, metadata.accessToken) }),
  };
  const resumeQuote: CommandDefinition<{ quoteId: string; resumeCode: string }, ResumeQuoteResponse> = {
    type: "ResumeQuote",
    schema: resumeQuotePayloadSchema,
    authorize: anyone,
    async handle({ payload }) {
      if (!(await hasQuoteAccess(deps.db, payload.quoteId, payload.resumeCode, deps.access, "resume"))) {
        return fail({ kind: "not_found", detail: "That resume link didn't work: it may have been turned off, or not used for too long." });
      }
      return ok({ quoteId: payload.quoteId, accessToken: await grantQuoteAccess(deps.db, payload.quoteId, "device") });
    },
  };
  return { expectedTypes: ACCESS_COMMAND_TYPES, definitions: [createResumeLink, revokeOthers, resumeQuote] };
}
