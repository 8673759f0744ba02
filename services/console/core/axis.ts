/** Value axes for the hand-drawn SVG charts: round steps (1, 2, 2.5, 5 × 10ⁿ), never a tick at 13.7. */

export interface Axis {
  max: number;
  ticks: number[];
}

/** An axis from 0 covering `max` with about `count` steps. A max of 0 (no data) still gets an axis. */
export function niceAxis(max: number, count = 5): Axis {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  // Built by multiplication, not repeated addition, so 0.1-steps do not drift (0.30000000000000004).
  for (let i = 0; i * step <= top + step / 1e6; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { max: ticks[ticks.length - 1]!, ticks };
}
