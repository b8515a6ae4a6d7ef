import { getAuth } from "@/lib/auth/auth";

/** Better Auth's endpoints: POST /api/auth/sign-in/email, POST /api/auth/sign-out, GET /api/auth/get-session, … */
const handler = (request: Request) => getAuth().handler(request);

export const GET = handler;
export const POST = handler;
