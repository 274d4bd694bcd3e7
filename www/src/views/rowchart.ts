// A chart of one row per item (a metric, an algorithm): its name on the left, read without
// turning one's head, and its values along a shared horizontal axis as bars or dots. Drawn as
// SVG text: it costs about a millisecond however many rows (the chart library's first bar and
// scatter charts each took a long task of their own), scales with the page and exports as is.
import { escapeHtml } from '../html';
import { niceTicks } from './boxplot';

export interface RowMark {
  value: number | null | undefined;
  kind: 'bar' | 'dot' | 'diamond';
  color: string;
  /** Printed at the end of a bar. */
  text?: string;
  /** The series it belongs to (hover text). */
  series?: string;
}

export interface Row {
  name: string;
  marks: RowMark[];
}

export interface RowChartOptions {
  width: number;
  title: string;
  /** The axis: its name, and its range (the data's when not given). */
  axis: { name: string; min?: number; max?: number; log?: boolean };
  /** The key: one entry per series, in words. */
  key?: { kind: RowMark['kind']; color: string; text: string }[];
  /** Text and mark scale (presentation mode enlarges). */
  k?: number;
}

const AXIS = '#334155';
export const ROW_PX = 18;

/** The height a chart of `rows` rows takes at scale `k`. */
export function rowChartHeight(rows: number, k = 1, keyed = false): number {
  return Math.round((34 + 40 + (keyed ? 22 : 0)) * k + Math.max(rows, 1) * ROW_PX * k);
}

/** The chart of `rows` as an SVG document `o.width` wide (its height: `rowChartHeight`). */
export function rowChartSvg(rows: readonly Row[], o: RowChartOptions): string {
  const k = o.k ?? 1;
  const W = Math.max(220, o.width);
  const H = rowChartHeight(rows.length, k, !!o.key?.length);
  const font = 11 * k;
  const longest = Math.max(0, ...rows.map((r) => r.name.length));
  const left = Math.min(font * 0.6 * longest + 10 * k, W * 0.45);
  const right = 30 * k;
  const top = 34 * k;
  const plotW = W - left - right;
  const plotH = rows.length * ROW_PX * k;
  const values = rows.flatMap((r) => r.marks.map((m) => m.value)).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const log = !!o.axis.log;
  let lo = o.axis.min ?? (values.length ? Math.min(...values) : 0);
  let hi = o.axis.max ?? (values.length ? Math.max(...values) : 1);
  if (!log && o.axis.min === undefined && lo > 0 && rows.some((r) => r.marks.some((m) => m.kind === 'bar'))) lo = 0;
  if (!(hi > lo)) hi = lo + 1;
  let ticks: number[];
  if (log) {
    lo = Math.max(lo, 1e-9);
    ticks = [];
    for (let p = Math.ceil(Math.log10(lo)); 10 ** p <= hi * (1 + 1e-9); p++) ticks.push(10 ** p);
  } else {
    ticks = niceTicks(lo, hi, Math.max(2, Math.min(6, Math.floor(plotW / (font * 5)))));
    lo = Math.min(lo, ticks[0]);
    hi = Math.max(hi, ticks[ticks.length - 1]);
  }
  const x = (v: number) => left + (plotW * (log ? Math.log10(Math.max(v, lo)) - Math.log10(lo) : v - lo)) / (log ? Math.log10(hi) - Math.log10(lo) : hi - lo);
  /** Where a mark's value goes: values beyond the axis sit at its end. */
  const at = (v: number) => x(Math.min(Math.max(v, lo), hi));
  const hover = (name: string, series: string | undefined, text: string) => `<title>${escapeHtml(`${name}${series ? `, ${series}` : ''}${text}`)}</title>`;
  const base = x(log ? lo : Math.max(lo, Math.min(0, hi)));
  const parts: string[] = [`<text x="${W / 2}" y="${18 * k}" text-anchor="middle" font-size="${12.5 * k}" font-weight="600" fill="${AXIS}">${escapeHtml(o.title)}</text>`];
  const axisY = top + plotH;
  for (const t of ticks) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${axisY}" stroke="#e2e8f0"/>`);
    parts.push(`<text x="${x(t)}" y="${axisY + font * 1.3}" text-anchor="middle" font-size="${font}" fill="${AXIS}">${+t.toFixed(4)}</text>`);
  }
  parts.push(`<line x1="${base}" x2="${base}" y1="${top}" y2="${axisY}" stroke="${AXIS}"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${axisY + font * 2.6}" text-anchor="middle" font-size="${font}" fill="${AXIS}">${escapeHtml(o.axis.name)}</text>`);
  const row = ROW_PX * k;
  rows.forEach((r, i) => {
    const y0 = top + i * row;
    const cy = y0 + row / 2;
    if (i % 2 === 1) parts.push(`<rect x="${left}" y="${y0}" width="${plotW}" height="${row}" fill="#f8fafc"/>`);
    parts.push(`<text x="${left - 6 * k}" y="${cy + font * 0.35}" text-anchor="end" font-size="${font}" fill="${AXIS}">${escapeHtml(r.name)}</text>`);
    const bars = r.marks.filter((m) => m.kind === 'bar');
    const band = (row * 0.7) / Math.max(1, bars.length);
    let b = 0;
    for (const dot of mergedDots(r, at)) {
      const tip = hover(r.name, dot.series, `${dot.values.length > 1 ? ` (${dot.values.length} of them)` : ''}: ${valuesText(dot.values)}`);
      // Drawn once, as dark as that many translucent dots stacked would be.
      parts.push(`<circle cx="${dot.cx}" cy="${cy}" r="${3 * k}" fill="${dot.color}" fill-opacity="${+(1 - 0.4 ** dot.values.length).toFixed(3)}">${tip}</circle>`);
    }
    for (const m of r.marks) {
      if (m.kind === 'dot' || typeof m.value !== 'number' || !Number.isFinite(m.value)) continue;
      const px = at(m.value);
      const tip = hover(r.name, m.series, `: ${+m.value.toFixed(4)}`);
      if (m.kind === 'bar') {
        const by = y0 + row * 0.15 + b * band;
        b++;
        const [x0, x1] = [Math.min(base, px), Math.max(base, px)];
        parts.push(`<rect x="${x0}" y="${by}" width="${Math.max(x1 - x0, 1)}" height="${band}" fill="${m.color}">${tip}</rect>`);
        if (m.text) parts.push(`<text x="${x1 + 3 * k}" y="${by + band / 2 + font * 0.33}" font-size="${font * 0.9}" fill="${AXIS}">${escapeHtml(m.text)}</text>`);
      } else {
        const d = 5 * k;
        // Hollow, so that a dot at the same place stays visible inside it.
        parts.push(`<path d="M${px} ${cy - d}l${d} ${d}l${-d} ${d}l${-d} ${-d}z" fill="none" stroke="${m.color}" stroke-width="${1.8 * k}">${tip}</path>`);
      }
    }
  });
  if (o.key?.length) {
    let kx = 8 * k;
    const ky = H - font * 0.6;
    const items: string[] = [];
    for (const e of o.key) {
      const sym =
        e.kind === 'bar'
          ? `<rect x="${kx}" y="${ky - font * 0.8}" width="${font * 1.2}" height="${font * 0.8}" fill="${e.color}"/>`
          : e.kind === 'dot'
            ? `<circle cx="${kx + font * 0.6}" cy="${ky - font * 0.4}" r="${3 * k}" fill="${e.color}" fill-opacity="0.6"/>`
            : `<path d="M${kx + font * 0.6} ${ky - font * 0.9}l${font * 0.5} ${font * 0.5}l${-font * 0.5} ${font * 0.5}l${-font * 0.5} ${-font * 0.5}z" fill="none" stroke="${e.color}" stroke-width="${1.8 * k}"/>`;
      items.push(`${sym}<text x="${kx + font * 1.6}" y="${ky}">${escapeHtml(e.text)}</text>`);
      kx += font * 1.6 + e.text.length * font * 0.58 + font;
    }
    parts.push(`<g font-size="${font}" fill="${AXIS}">${items.join('')}</g>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif"><rect width="${W}" height="${H}" fill="#ffffff"/>${parts.join('')}</svg>`;
}

/** Dots of one row and series closer than half a pixel: one circle each, with every value. */
interface MergedDot {
  cx: number;
  color: string;
  series?: string;
  values: number[];
}

/**
 * The row's dots, those that would land within half a pixel of each other merged into one.
 * A metric can have a thousand global optima at a handful of accuracies: drawing each as its
 * own circle made a chart of 2,000 elements whose every redraw cost the page a long task, for
 * a picture no different from this one.
 */
function mergedDots(r: Row, at: (v: number) => number): MergedDot[] {
  const byPlace = new Map<string, MergedDot>();
  for (const m of r.marks) {
    if (m.kind !== 'dot' || typeof m.value !== 'number' || !Number.isFinite(m.value)) continue;
    const cx = at(m.value);
    const key = `${m.color}|${m.series ?? ''}|${Math.round(cx * 2)}`;
    const dot = byPlace.get(key);
    if (dot) dot.values.push(m.value);
    else byPlace.set(key, { cx, color: m.color, series: m.series, values: [m.value] });
  }
  return [...byPlace.values()];
}

/** The values of a merged dot in words: each one when few, else their range. */
function valuesText(values: readonly number[]): string {
  const distinct = [...new Set(values.map((v) => +v.toFixed(4)))].sort((a, b) => a - b);
  return distinct.length <= 3 ? distinct.join(', ') : `${distinct[0]} to ${distinct[distinct.length - 1]}`;
}
