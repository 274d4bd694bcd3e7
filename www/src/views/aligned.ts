// The trajectory charts' data as uPlot takes it: one x array shared by every series.

/** uPlot's aligned data: the union of every series' x, and each series' y there (null elsewhere). */
export function aligned(own: readonly { xs: readonly number[]; ys: readonly number[] }[]): [number[], ...(number | null)[][]] {
  // A sorted typed array and binary search: a long run's series hold up to 20,000 points each,
  // and building a Set and a Map of them was a large part of its redraw (profiled).
  const all = new Float64Array(own.reduce((n, s) => n + s.xs.length, 0));
  let n = 0;
  for (const s of own) for (const x of s.xs) all[n++] = x;
  all.sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[m - 1]) all[m++] = all[i];
  const xs = all.subarray(0, m);
  const ys = own.map((s) => {
    const y: (number | null)[] = new Array(m).fill(null);
    for (let i = 0; i < s.xs.length; i++) y[indexOf(xs, s.xs[i])] = s.ys[i];
    return y;
  });
  return [Array.from(xs), ...ys];
}

/** The index of `x` in the sorted `xs`, which holds it. */
function indexOf(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
