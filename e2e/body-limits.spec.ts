import { randomUUID } from "node:crypto";
import http from "node:http";
import { expect, test } from "./fixtures/test";

const CHUNK = Buffer.alloc(64 * 1024, "x");
const ATTACK_BYTES = 200 * 1024 * 1024;

/** Streams up to 200 MB, chunked, until the server answers; returns its status, how long it took and how much was sent. */
function streamUntilAnswered(baseUrl: string, method: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; ms: number; sentBytes: number }>((resolve, reject) => {
    const started = performance.now();
    let sentBytes = 0;
    let answered = false;
    const request = http.request(new URL(path, baseUrl), { method, headers: { ...headers, "transfer-encoding": "chunked" } }, (response) => {
      answered = true;
      response.resume();
      resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, sentBytes });
      request.destroy();
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (!answered && sentBytes < ATTACK_BYTES) {
        sentBytes += CHUNK.length;
        if (!request.write(CHUNK)) return void request.once("drain", pump);
      }
      if (!answered) request.end();
    };
    pump();
  });
}

test.describe("request bodies are refused as they arrive, not after", () => {
  test("a 200 MB chunked PUT with no token meets 413 problem+json within a second", async ({ baseURL }) => {
    const answer = await streamUntilAnswered(baseURL!, "PUT", `/api/quotes/${randomUUID()}/contact-details`, { "content-type": "application/json" });
    expect(answer.status).toBe(413);
    expect(answer.ms).toBeLessThan(1_000);
    // What the socket buffers took before the answer came back, not the 200 MB.
    expect(answer.sentBytes).toBeLessThan(16 * 1024 * 1024);
  });

  test("a streamed body of unknown size posted to a page is refused before Next reads it", async ({ baseURL }) => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(new URL("/", baseURL), { method: "POST", headers: { "content-type": "multipart/form-data; boundary=x", "transfer-encoding": "chunked" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      // Only the headers: the answer must come before any of the body is sent.
      request.flushHeaders();
    });
    expect(status).toBe(411);
  });

  test("a declared 200 MB body is refused before a byte of it is sent", async ({ baseURL }) => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(new URL("/", baseURL), { method: "POST", headers: { "content-length": String(ATTACK_BYTES), "content-type": "text/plain" } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      request.flushHeaders();
    });
    expect(status).toBe(413);
  });

  test("TRACE and other methods the app does not serve answer 405 with Allow, on pages and the API", async ({ baseURL }) => {
    for (const [method, path] of [["TRACE", "/"], ["TRACE", "/api/quotes"], ["PROPFIND", "/admin"]]) {
      const answer = await new Promise<{ status: number; allow?: string }>((resolve, reject) => {
        const request = http.request(new URL(path!, baseURL), { method }, (response) => {
          response.resume();
          resolve({ status: response.statusCode ?? 0, allow: response.headers.allow });
        });
        request.on("error", reject);
        request.end();
      });
      expect(answer, `${method} ${path}`).toEqual({ status: 405, allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" });
    }
  });
});
