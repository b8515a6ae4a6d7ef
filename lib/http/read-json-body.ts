import "server-only";
import { fail, ok, type AppError, type Result } from "../cqrs/app-error";

export const MAX_BODY_BYTES = 16 * 1024;

const TOO_LARGE: AppError = { kind: "payload_too_large", detail: `The body is larger than ${MAX_BODY_BYTES} bytes.`, limitBytes: MAX_BODY_BYTES };
const NOT_JSON: AppError = { kind: "validation", detail: "Send the body as JSON with Content-Type: application/json.", errors: [{ path: "", message: "Content-Type must be application/json" }] };
const UNREADABLE: AppError = { kind: "validation", detail: "The request body could not be read.", errors: [{ path: "", message: "Unreadable body" }] };

/**
 * The request's JSON body, or the refusal to answer with: 413 once more than MAX_BODY_BYTES arrive (the rest is never
 * read), 400 for anything that is not JSON. With `optional`, an empty body is `undefined`. Never throws.
 */
export async function readJsonBody(request: Request, options: { optional?: boolean } = {}): Promise<Result<unknown>> {
  const refuse = (error: AppError) => {
    discardBody(request);
    return fail(error);
  };
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return refuse(TOO_LARGE);
  const isJson = /^application\/([a-z.+-]*\+)?json\b/i.test(request.headers.get("content-type") ?? "");
  // An optional body may come without a Content-Type when it is empty, so that check waits until it is read.
  if (!isJson && !options.optional) return refuse(NOT_JSON);

  const read = await readAtMost(request.body, MAX_BODY_BYTES);
  if (read === "too_large") return fail(TOO_LARGE);
  if (read === "unreadable") return fail(UNREADABLE);
  const text = new TextDecoder().decode(read);
  if (options.optional && text.trim() === "") return ok(undefined);
  if (!isJson) return fail(NOT_JSON);
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return fail({ kind: "validation", detail: `The body is not valid JSON: ${(error as Error).message}`, errors: [{ path: "", message: "Malformed JSON" }] });
  }
}

/** Reads the stream up to `limit` bytes; past that it stops and cancels the stream, so the rest is never pulled. */
async function readAtMost(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | "too_large" | "unreadable"> {
  if (body === null) return new Uint8Array();
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    return "unreadable"; // already read or locked
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return "too_large";
      }
      chunks.push(value);
    }
  } catch {
    reader.cancel().catch(() => {});
    return "unreadable";
  }
  return Buffer.concat(chunks);
}

/** A refused body is not read at all: cancelling tells the sender's stream to stop rather than be drained. */
function discardBody(request: Request) {
  if (request.body && !request.body.locked) request.body.cancel().catch(() => {});
}
