/** Variables whose whole value is a secret: never printed, not even in part. */
const SECRET_NAME = /_(SECRET|PASSWORD|KEY|TOKEN)$/i;
/** Query parameters that carry a password in connection URLs (libpq reads `password` and `sslpassword`). */
const SECRET_QUERY_PARAMETER = /([?&](?:password|sslpassword|pass|pwd|secret|token|api_?key)=)[^&#]*/gi;

export const HIDDEN = "(hidden)";

/** How an environment variable's value may appear in a message or log: a secret hidden, a URL's password masked. */
export function displayValue(name: string, value: string | undefined): string {
  if (value === undefined) return "(unset)";
  if (SECRET_NAME.test(name)) return HIDDEN;
  return maskUrlPassword(value);
}

/**
 * `scheme://user:***@host/...`: the password of a URL's user info, and password query parameters, as `***`. Works on
 * values that are not valid URLs too (a bad value is exactly when it gets printed): the user info runs to the last
 * `@`, so a password holding `@`, `/` or `:` is masked whole.
 */
export function maskUrlPassword(value: string): string {
  const masked = value.replace(SECRET_QUERY_PARAMETER, "$1***");
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(masked);
  if (!scheme) return masked;
  const rest = masked.slice(scheme[0].length);
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return masked;
  return `${scheme[0]}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}
