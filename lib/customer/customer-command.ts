/**
 * Runs a customer's command from a server action: the access token is read from the httpOnly cookie here, on
 * the server, and the browser supplies only the payload, its idempotency key and the version it last saw.
 * Every outcome is data (a Result), including an unexpected failure of the database, so the browser can keep
 * the form filled and offer a retry.
 */
import "server-only";
import { cookies, headers } from "next/headers";
import { fail, type AppError, type Result } from "../cqrs/app-error";
import { createLogger } from "../logging/logger";
import { message } from "../cqrs/message";
import { services } from "../services";
import { clientAddressOf } from "../http/client-address";
import { accessCookieName } from "./cookies";
import { inSpan } from "../tracing/tracing";

const log = createLogger("customer-actions");

export interface CommandOptions {
  /** The version the customer's form was loaded at (If-Match); refused (412) only when its answers changed since. */
  expectedVersion?: unknown;
  /** One per form submission: a repeat (double click, retry after a lost response) appends nothing new. */
  idempotencyKey?: unknown;
}

const IDEMPOTENCY_KEY = /^[\w.:-]{1,100}$/;

function checkedOptions(options: CommandOptions): Result<{ expectedVersion?: number; idempotencyKey?: string }> {
  const { expectedVersion, idempotencyKey } = options;
  if (expectedVersion !== undefined && !(typeof expectedVersion === "number" && Number.isInteger(expectedVersion) && expectedVersion >= 0)) {
    return fail({ kind: "validation", detail: "expectedVersion must be a whole number.", errors: [{ path: "expectedVersion", message: "Invalid version" }] });
  }
  if (idempotencyKey !== undefined && !(typeof idempotencyKey === "string" && IDEMPOTENCY_KEY.test(idempotencyKey))) {
    return fail({ kind: "validation", detail: "idempotencyKey must be 1–100 letters, digits, '.', ':', '_' or '-'.", errors: [{ path: "idempotencyKey", message: "Invalid idempotency key" }] });
  }
  return { ok: true, value: { expectedVersion: expectedVersion as number | undefined, idempotencyKey: idempotencyKey as string | undefined } };
}

/** Validation errors come back with paths relative to the page's details ("details.email" → "email"). */
function forTheForm(error: AppError): AppError {
  if (error.kind !== "validation") return error;
  return { ...error, errors: error.errors.map((e) => ({ ...e, path: e.path.replace(/^details\.?/, "") })) };
}

/** A span per customer's server action ("server action CaptureContactDetails"), inside Next's span of the POST. */
export function runCustomerCommand<Value>(type: string, payload: { quoteId: unknown } & Record<string, unknown>, options: CommandOptions = {}): Promise<Result<Value>> {
  return inSpan(`server action ${type}`, { attributes: { "cqrs.message.type": type, ...(typeof payload.quoteId === "string" ? { "quote.id": payload.quoteId } : {}) } }, () => runCommand<Value>(type, payload, options));
}

async function runCommand<Value>(type: string, payload: { quoteId: unknown } & Record<string, unknown>, options: CommandOptions): Promise<Result<Value>> {
  const checked = checkedOptions(options);
  if (!checked.ok) return checked;
  try {
    const quoteId = typeof payload.quoteId === "string" ? payload.quoteId : "";
    const accessToken = (await cookies()).get(accessCookieName(quoteId))?.value;
    const clientAddress = clientAddressOf(await headers());
    const result = await services().commandBus.execute<Value>(message(type, payload, { actor: { kind: "customer" }, accessToken, clientAddress, ...checked.value }));
    return result.ok ? result : { ok: false, error: forTheForm(result.error) };
  } catch (error) {
    log.error({ err: error, command: type }, "customer command failed unexpectedly");
    return fail({ kind: "unavailable", detail: "We couldn't save that just now. Nothing was lost: please try again in a moment." });
  }
}
