/**
 * In the browser, zod is told not to compile parsers with `new Function`: the Content-Security-Policy refuses eval,
 * and zod's probe for it (made when an object schema is built) is reported as a violation. Every schema module the
 * browser loads imports this first, before it builds a schema. On the server nothing changes.
 */
import { config } from "zod/v4/core";

if (typeof window !== "undefined") config({ jitless: true });
