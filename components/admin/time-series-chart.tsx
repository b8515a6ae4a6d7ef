/**
 * A line chart of one hour, minute by minute, rendered on the server as SVG (like the funnel chart): an image to
 * assistive technology, with a text description, and the same numbers as a table beside it. A minute without data
 * breaks the line; a lone point is drawn as a dot.
 */

export type ValueFormat = "count" | "seconds" | "percent";

export interface ChartSeries {
  name: string;
  color: string;
  /** One value per minute of `minutes`; null where nothing was recorded. */
  values: Array<number | null>;
}

const WIDTH = 760;
const HEIGHT = 220;
const LEFT = 70;
const RIGHT = 16;
const TOP = 12;
const BOTTOM = 34;

export function formatValue(value: number | null, format: ValueFormat): string {
  if (value === null) return "—";
  switch (format) {
    case "count":
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case "seconds":
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${value.toFixed(value < 10 ? 2 : 0)} s`;
    case "percent":
      return `${(value * 100).toFixed(value === 0 ? 0 : 1)}%`;
  }
}

const clock = (iso: string) => iso.slice(11, 16);

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= max) ?? 10 * power);
}

export function TimeSeriesChart({ id, title, minutes, series, format }: { id: string; title: string; minutes: string[]; series: ChartSeries[]; format: ValueFormat }) {
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const points = all.length;
  const top = niceMax(Math.max(0, ...all));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (i: number) => LEFT + (minutes.length <= 1 ? 0 : (i / (minutes.length - 1)) * plotWidth);
  const y = (v: number) => TOP + plotHeight - (v / top) * plotHeight;
  const latest = (s: ChartSeries) => [...s.values].reverse().find((v) => v !== null) ?? null;
  const description =
    points === 0
      ? "No data recorded in this hour."
      : series.map((s) => `${s.name}: latest ${formatValue(latest(s), format)}, highest ${formatValue(Math.max(...s.values.filter((v): v is number => v !== null), 0), format)}`).join("; ");
  const ticks = [0, top / 2, top];
  const timeTicks = minutes.length ? [0, Math.floor((minutes.length - 1) / 2), minutes.length - 1] : [];

  return (
    <figure className="time-series-chart" aria-labelledby={`${id}-caption`} data-points={points}>
      <figcaption id={`${id}-caption`}>
        {title} <span className="muted">(last hour, UTC)</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-svg-title ${id}-svg-desc`}>
        <title id={`${id}-svg-title`}>{`${title}, last hour`}</title>
        <desc id={`${id}-svg-desc`}>{description}</desc>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} stroke="#b1b4b6" strokeWidth={1} />
            <text x={LEFT - 8} y={y(tick) + 4} textAnchor="end" fontSize="12" fill="#0b0c0c">
              {formatValue(tick, format)}
            </text>
          </g>
        ))}
        {timeTicks.map((i) => (
          <text key={i} x={x(i)} y={HEIGHT - 10} textAnchor={i === 0 ? "start" : i === minutes.length - 1 ? "end" : "middle"} fontSize="12" fill="#0b0c0c">
            {clock(minutes[i]!)}
          </text>
        ))}
        {series.map((s) => {
          const runs: Array<Array<[number, number]>> = [];
          let run: Array<[number, number]> = [];
          s.values.forEach((v, i) => {
            if (v === null) {
              if (run.length) runs.push(run);
              run = [];
            } else run.push([x(i), y(v)]);
          });
          if (run.length) runs.push(run);
          return (
            <g key={s.name} data-series={s.name}>
              {runs.map((r, n) =>
                r.length === 1 ? (
                  <circle key={n} cx={r[0]![0]} cy={r[0]![1]} r={3} fill={s.color} />
                ) : (
                  <polyline key={n} points={r.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")} fill="none" stroke={s.color} strokeWidth={2} />
                ),
              )}
            </g>
          );
        })}
      </svg>
      {series.length > 1 && (
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.name}>
              <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
                <rect width="14" height="14" fill={s.color} />
              </svg>{" "}
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{title} as a table</summary>
        <div className="table-wrap">
          <table className="data">
            <caption className="visually-hidden">{title}, minute by minute</caption>
            <thead>
              <tr>
                <th scope="col">Minute (UTC)</th>
                {series.map((s) => (
                  <th key={s.name} scope="col" className="number">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {minutes.map((minute, i) =>
                series.every((s) => s.values[i] === null) ? null : (
                  <tr key={minute}>
                    <th scope="row">{clock(minute)}</th>
                    {series.map((s) => (
                      <td key={s.name} className="number">
                        {formatValue(s.values[i] ?? null, format)}
                      </td>
                    ))}
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
