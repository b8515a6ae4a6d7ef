/** The browser's side of sign-in: the sign-in page and the sign-out button use it. */
import { createAuthClient } from "better-auth/client";

export const authClient = createAuthClient({ basePath: "/api/auth" });
