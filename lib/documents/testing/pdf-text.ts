/** A PDF's text as a reader's copy-and-paste would get it, by poppler's pdftotext (poppler-utils; .ci/run installs it). */
import { spawn } from "node:child_process";

export function pdfText(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pdftotext", ["-layout", "-enc", "UTF-8", "-", "-"], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (error) => reject(new Error(`pdftotext could not run (apt-get install poppler-utils): ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`pdftotext exited ${code}: ${Buffer.concat(err).toString("utf8")}`));
    });
    child.stdin.end(Buffer.from(bytes));
  });
}
