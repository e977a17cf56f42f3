// A portfolio statistic as a number, for ranking and heatmaps: ratios, percents and durations are
// numbers, money (equity_final, equity_peak, commissions) is exact decimal text; both rank by
// their value. Anything else (null, an infinite ratio, a non-numeric text) has no value.

/** `v` as a finite number, or null. */
export function statNumber(v) {
  const n = typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
