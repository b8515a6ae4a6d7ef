import { handleAuthRequest } from "@/lib/auth/auth-route";

/** Better Auth's endpoints: POST /api/auth/sign-in/email, POST /api/auth/sign-out, GET /api/auth/get-session, … */
const handler = (request: Request) => handleAuthRequest(request);

export const GET = handler;
export const POST = handler;
