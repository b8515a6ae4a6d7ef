/**
 * The quote as a one-page PDF: the application number, the answers, the premium with its breakdown, the validity
 * date and the decision. A pure function of the quote view (no clock, no I/O): the customer and the agent get the
 * same document of a quote.
 */
import "server-only";
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import type { Premium, PremiumLine } from "../domain/quote/premium";
import { formatMoney } from "../domain/quote/money";
import { POSTCODE_LABEL_BY_COUNTRY, REGION_LABEL_BY_COUNTRY, countryName, regionName } from "../../schemas/countries";
import type { ContactDetails, FamilyDetails, GeographicDetails } from "../../schemas/quote";

/** What the document shows: the members the customer's and the agent's views of a quote have in common. */
export interface QuoteDocumentView {
  quoteId: string;
  status: string;
  geographicDetails: GeographicDetails | null;
  contactDetails: ContactDetails | null;
  familyDetails: FamilyDetails | null;
  premium: Premium | null;
  validUntil: string | null;
  applicationNumber: string | null;
  decision: { outcome: string; reason: string | null } | null;
}

/** "quote-Q-2026-000123.pdf", or the quote id before a number is assigned; only filename-safe characters. */
export function quoteDocumentFilename(view: Pick<QuoteDocumentView, "quoteId" | "applicationNumber">): string {
  return `quote-${(view.applicationNumber ?? view.quoteId).replace(/[^\w.-]/g, "_")}.pdf`;
}

const STATUS_LABELS: Record<string, string> = {
  draft: "Not submitted",
  submitted: "Submitted",
  referred: "Referred for review",
  approved: "Approved",
  rejected: "Rejected",
  cancelled: "Withdrawn",
  expired: "Expired",
};

const PAGE = { width: 595.28, height: 841.89 }; // A4, in points
const MARGIN = 48;
const TEXT_SIZE = 10;
const LINE_HEIGHT = 13;
const LABEL_WIDTH = 130;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);

export async function renderQuoteDocument(view: QuoteDocumentView): Promise<Uint8Array<ArrayBuffer>> {
  // No producer or dates stamped in: the same quote renders to the same bytes.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const applicationNumber = view.applicationNumber ?? "pending";
  pdf.setTitle(`Quote ${applicationNumber}`);
  pdf.setLanguage("en");

  const writer = new PageWriter(pdf.addPage([PAGE.width, PAGE.height]), regular, bold);
  writer.title("Your insurance quote");
  writer.row("Application number", applicationNumber);
  writer.row("Status", STATUS_LABELS[view.status] ?? view.status);
  if (view.decision) {
    writer.row("Decision", STATUS_LABELS[view.decision.outcome] ?? view.decision.outcome);
    if (view.decision.reason) writer.row("Reason", view.decision.reason);
  }

  writer.heading("Your premium");
  const premium = view.premium;
  if (premium) {
    const money = (amount: number) => formatMoney(amount, premium.currency);
    writer.row("Monthly premium", `${money(premium.monthly)} a month`, { strong: true });
    writer.row("A year (12 payments)", money(premium.annual));
    for (const line of premium.breakdown) writer.row(line.label, `${lineEffect(line, money)} (${line.description})`);
    if (view.validUntil) writer.row("Valid until", formatDay(view.validUntil), { strong: true });
  } else writer.note("Priced once every question is answered.");

  writer.heading("Where you live");
  const geo = view.geographicDetails;
  if (geo) {
    writer.row("Country", countryName(geo.country));
    writer.row(REGION_LABEL_BY_COUNTRY[geo.country], regionName(geo.country, geo.state) ?? geo.state);
    writer.row("City", geo.city);
    writer.row(POSTCODE_LABEL_BY_COUNTRY[geo.country], geo.zipCode);
  } else writer.note("Not answered yet.");

  writer.heading("Contact details");
  const contact = view.contactDetails;
  if (contact) {
    writer.row("Email", contact.email);
    writer.row("Phone number", contact.phoneNumber);
  } else writer.note("Not answered yet.");

  writer.heading("Your family");
  const family = view.familyDetails;
  if (family) {
    writer.row("Number of dependents", String(family.numberOfDependents));
    writer.row("Spouse name", family.spouseName ?? "None");
    writer.row("Children's names", family.childrenNames.length > 0 ? family.childrenNames.join(", ") : "None");
  } else writer.note("Not answered yet.");

  writer.footer(`Quote ${view.quoteId}`);
  // Copied into a plain ArrayBuffer-backed array, which is what a Response body takes.
  return new Uint8Array(await pdf.save());
}

/** One breakdown line's effect on the monthly total, in the words the quote pages use. */
function lineEffect(line: PremiumLine, money: (amount: number) => string): string {
  switch (line.kind) {
    case "base":
      return `${money(line.value)} a month`;
    case "factor":
      return `x ${line.value.toLocaleString("en-US", { maximumFractionDigits: 4 })}`;
    case "amount":
      return `${line.value < 0 ? "-" : "+"} ${money(Math.abs(line.value))} a month`;
  }
}

/** "2026-08-12" → "12 August 2026": a calendar day, so formatted in UTC. */
function formatDay(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDay;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(date);
}

/**
 * The standard fonts encode WinAnsi only, and pdf-lib throws on anything else: a name in another script would make
 * the whole document fail. Accents that decompose keep their letter ("ő" → "o"); anything else becomes "?".
 */
export function encodableText(text: string, font: PDFFont): string {
  const supported = characterSet(font);
  const canEncode = (char: string) => supported.has(char.codePointAt(0)!);
  let result = "";
  for (const char of text.replace(/[\r\n\t\v\f]+/g, " ")) {
    if (canEncode(char)) result += char;
    else {
      const base = char.normalize("NFD").replace(/\p{M}/gu, "");
      result += base !== "" && [...base].every(canEncode) ? base : "?";
    }
  }
  return result;
}

const characterSets = new WeakMap<PDFFont, Set<number>>();
function characterSet(font: PDFFont): Set<number> {
  let set = characterSets.get(font);
  if (!set) characterSets.set(font, (set = new Set(font.getCharacterSet())));
  return set;
}

/** Draws lines top-down on the one page; what would run off its foot is cut, with a note saying so. */
class PageWriter {
  private y = PAGE.height - MARGIN;
  private full = false;

  constructor(
    private readonly page: PDFPage,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {}

  title(text: string) {
    this.line(text, { x: MARGIN, size: 18, font: this.bold, height: 28 });
  }

  heading(text: string) {
    this.y -= 10;
    this.line(text, { x: MARGIN, size: 13, font: this.bold, height: 19 });
  }

  row(label: string, value: string, options: { strong?: boolean } = {}) {
    const valueX = MARGIN + LABEL_WIDTH;
    const lines = this.wrap(encodableText(value, this.regular), PAGE.width - MARGIN - valueX, options.strong ? this.bold : this.regular);
    if (!this.fits(lines.length)) return;
    this.page.drawText(encodableText(label, this.regular), { x: MARGIN, y: this.y, size: TEXT_SIZE, font: this.regular, color: MUTED });
    for (const text of lines) this.line(text, { x: valueX, size: TEXT_SIZE, font: options.strong ? this.bold : this.regular, height: LINE_HEIGHT });
  }

  note(text: string) {
    this.line(encodableText(text, this.regular), { x: MARGIN, size: TEXT_SIZE, font: this.regular, height: LINE_HEIGHT, color: MUTED });
  }

  footer(text: string) {
    this.page.drawText(encodableText(text, this.regular), { x: MARGIN, y: MARGIN / 2, size: 8, font: this.regular, color: MUTED });
  }

  private line(text: string, options: { x: number; size: number; font: PDFFont; height: number; color?: ReturnType<typeof rgb> }) {
    if (!this.fits(1)) return;
    this.page.drawText(encodableText(text, options.font), { x: options.x, y: this.y, size: options.size, font: options.font, color: options.color ?? INK });
    this.y -= options.height;
  }

  private fits(lines: number): boolean {
    if (this.full) return false;
    if (this.y - lines * LINE_HEIGHT >= MARGIN + LINE_HEIGHT) return true;
    this.full = true;
    this.page.drawText("(More than fits on one page: the full quote is online.)", { x: MARGIN, y: this.y, size: TEXT_SIZE, font: this.regular, color: MUTED });
    return false;
  }

  /** Splits at spaces so each line fits `width`; a word longer than a line is split where it must be. */
  private wrap(text: string, width: number, font: PDFFont): string[] {
    const fits = (candidate: string) => font.widthOfTextAtSize(candidate, TEXT_SIZE) <= width;
    const lines: string[] = [];
    let current = "";
    for (const word of text.split(" ")) {
      const candidate = current === "" ? word : `${current} ${word}`;
      if (fits(candidate)) {
        current = candidate;
        continue;
      }
      if (current !== "") lines.push(current);
      current = "";
      for (const char of word) {
        if (!fits(current + char) && current !== "") {
          lines.push(current);
          current = "";
        }
        current += char;
      }
    }
    if (current !== "" || lines.length === 0) lines.push(current);
    return lines;
  }
}
