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

/**
 * How many decimals write every tick of the axis, divided by `unit` (1000 for kg shown in
 * tonnes), without rounding any of them: 0 for 0, 20, 40 t; 1 for 0, 2.5, 5.0 t. One count for
 * the whole axis, so the labels line up ("5.0", not "5", beside "2.5").
 */
export function tickDecimals(axis: Axis, unit = 1): number {
  for (let decimals = 0; decimals < 6; decimals++) {
    const scale = 10 ** decimals;
    if (axis.ticks.every((tick) => Math.abs(Math.round((tick / unit) * scale) - (tick / unit) * scale) < 1e-6)) return decimals;
  }
  return 6;
}
