import type { QuoteStatus } from "@/lib/domain/quote";
import { STATUS_LABEL } from "./format";

export function StatusBadge({ status }: { status: QuoteStatus }) {
  return <span className={`badge ${status}`}>{STATUS_LABEL[status]}</span>;
}
