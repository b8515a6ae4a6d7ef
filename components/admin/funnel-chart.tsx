import { FUNNEL_STEPS, type FunnelResult, type FunnelStep } from "@/lib/queries/contracts";
import { percent, STEP_LABEL } from "./format";

const WIDTH = 760;
const LABEL_WIDTH = 170;
const BAR_MAX = 400;
const ROW = 64;
const TOP = 8;

export interface FunnelRow {
  step: FunnelStep;
  label: string;
  reached: number;
  /** Quotes that reached the previous step but not this one (never negative); null for the first step and for what follows submission. */
  droppedBefore: number | null;
  /** Share of the previous step that dropped off. */
  dropShare: string | null;
  /** Share of started quotes that reached this step. */
  ofStarted: string;
}

export function funnelRows(totals: FunnelResult["totals"]): FunnelRow[] {
  const lastWizardStep = FUNNEL_STEPS.indexOf("submitted");
  return FUNNEL_STEPS.map((step, index) => {
    // Expiring and starting again are not drop-offs of the wizard: they are counted, not compared.
    const previous = index > 0 && index <= lastWizardStep ? totals[FUNNEL_STEPS[index - 1]!] : null;
    const reached = totals[step];
    const dropped = previous === null ? null : Math.max(0, previous - reached);
    return {
      step,
      label: STEP_LABEL[step],
      reached,
      droppedBefore: dropped,
      dropShare: previous === null || dropped === null ? null : percent(dropped, previous),
      ofStarted: percent(reached, totals.started),
    };
  });
}

/**
 * How many quotes reached each wizard step, as horizontal SVG bars with their numbers written next to them, and
 * the same numbers as a table (the chart is an image to assistive technology, with a text description).
 */
export function FunnelChart({ funnel }: { funnel: FunnelResult }) {
  const rows = funnelRows(funnel.totals);
  const max = Math.max(1, ...rows.map((row) => row.reached));
  const height = TOP + rows.length * ROW;
  const description = rows
    .map((row) => `${row.label}: ${row.reached}${row.droppedBefore !== null ? `, ${row.droppedBefore} dropped off before this step (${row.dropShare})` : ""}`)
    .join("; ");

  return (
    <figure className="funnel-chart" aria-labelledby="funnel-caption">
      <figcaption id="funnel-caption">
        Quotes reaching each step from {funnel.from} to {funnel.to} (UTC)
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="funnel-svg-title funnel-svg-desc">
        {/* One string each: React treats <title> as document metadata, and several text children break hydration. */}
        <title id="funnel-svg-title">{`Quote funnel, ${funnel.from} to ${funnel.to}`}</title>
        <desc id="funnel-svg-desc">{`${description}.`}</desc>
        {rows.map((row, index) => {
          const y = TOP + index * ROW;
          const width = row.reached === 0 ? 2 : Math.max(2, Math.round((row.reached / max) * BAR_MAX));
          return (
            <g key={row.step} data-step={row.step}>
              <text x={LABEL_WIDTH - 12} y={y + 20} textAnchor="end" fontSize="15" fontWeight="600" fill="#0b0c0c">
                {row.label}
              </text>
              <rect x={LABEL_WIDTH} y={y + 4} width={width} height={24} fill="#1d70b8" />
              <text x={LABEL_WIDTH + width + 8} y={y + 21} fontSize="15" fill="#0b0c0c">
                {row.reached} ({row.ofStarted} of started)
              </text>
              {row.droppedBefore !== null && (
                <text x={LABEL_WIDTH} y={y + 47} fontSize="13" fill="#505a5f">
                  {row.droppedBefore} dropped off before this step ({row.dropShare})
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <div className="table-wrap">
        <table className="data">
          <caption>The funnel as a table</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" className="number">
                Quotes that reached it
              </th>
              <th scope="col" className="number">
                Dropped off before it
              </th>
              <th scope="col" className="number">
                Share of started quotes
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.step}>
                <th scope="row">{row.label}</th>
                <td className="number">{row.reached}</td>
                <td className="number">{row.droppedBefore === null ? "—" : `${row.droppedBefore} (${row.dropShare})`}</td>
                <td className="number">{row.ofStarted}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
