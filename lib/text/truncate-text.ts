import "server-only";
/** `text` trimmed and cut to at most `max` UTF-16 units, never inside a character, with "…" when cut. */
export function truncateText(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  let cut = "";
  for (const character of trimmed) {
    if (cut.length + character.length > max - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}
