import { fail, ok, type Result } from "../cqrs/app-error";

export const MAX_BODY_BYTES = 16 * 1024;

/** The request's JSON body, or a validation error naming what is wrong with it. Never throws. */
export async function readJsonBody(request: Request): Promise<Result<unknown> & { tooLarge?: boolean }> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ...tooLarge(), tooLarge: true };
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    return fail({ kind: "validation", detail: "Send the body as JSON with Content-Type: application/json.", errors: [{ path: "", message: "Content-Type must be application/json" }] });
  }
  let text: string;
  try {
    text = await request.text();
  } catch {
    return fail({ kind: "validation", detail: "The request body could not be read.", errors: [{ path: "", message: "Unreadable body" }] });
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return { ...tooLarge(), tooLarge: true };
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return fail({ kind: "validation", detail: `The body is not valid JSON: ${(error as Error).message}`, errors: [{ path: "", message: "Malformed JSON" }] });
  }
}

const tooLarge = () => fail({ kind: "validation", detail: `The body is larger than ${MAX_BODY_BYTES} bytes.`, errors: [{ path: "", message: `Body must be at most ${MAX_BODY_BYTES} bytes` }] });
