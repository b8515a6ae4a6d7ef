/**
 * The last version this browser wrote to a quote: set by the wizard's script after each save (and by the server after
 * a save posted without JavaScript), readable by scripts. Server pages pass it as `minVersion`, so a page rendered
 * right after a save shows that save (read-your-writes). Nothing secret, so the browser and the server share it.
 */
export const versionCookieName = (quoteId: string) => `quote_version_${quoteId}`;

/** As long as the access cookie: the two describe the same quote on the same browser. */
export const CUSTOMER_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
