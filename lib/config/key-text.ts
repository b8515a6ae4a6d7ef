export const KEK_BYTES = 32;

/** A 32-byte key given as 64 hex digits or base64 (43 or 44 characters); null when it is neither. */
export function parseKeyEncryptionKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replaceAll("-", "+").replaceAll("_", "/"), "base64");
    return bytes.length === KEK_BYTES ? bytes : null;
  }
  return null;
}
