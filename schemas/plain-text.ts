/**
 * Text a person types, as PostgreSQL can store it: well-formed (no half of a surrogate pair) and without control
 * characters, which no name, city or reason has and which PostgreSQL's text and jsonb refuse (a NUL). A single line
 * (a name, a city) has no line breaks or tabs either; a reason or a note may.
 */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export const isSingleLineText = (text: string): boolean => text.isWellFormed() && !CONTROL_CHARACTERS.test(text);

export const isMultiLineText = (text: string): boolean => text.isWellFormed() && !CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS.test(text);

/** Text from elsewhere (another service's error) made storable: control characters and broken characters become spaces. */
export const toPlainText = (text: string): string => text.toWellFormed().replace(new RegExp(CONTROL_CHARACTERS_BUT_LINE_BREAKS_AND_TABS, "g"), " ");
