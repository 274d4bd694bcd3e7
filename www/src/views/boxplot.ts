// The spread of test accuracy per algorithm as a box plot, drawn as SVG text: a box for the
// middle half of the seeds, a line at the median, whiskers to the farthest seed within 1.5
// box lengths (Tukey's rule), dots for the seeds beyond, and the paper's mean as a diamond.
// Plain SVG instead of a chart library: it draws in about a millisecond (the library's first
// box plot took a long task of its own), scales with the page and exports as it is.
import { escapeHtml } from '../html';

/** The five numbers of a box and the seeds outside its whiskers. */
export interface BoxStats {
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** Whisker ends: the farthest values within 1.5 × (q3 − q1) of the box. */
  low: number;
  high: number;
  outliers: number[];
}

/** The `p` quantile of ascending `xs`, interpolated linearly between order statistics. */
export function quantile(xs: readonly number[], p: number): number {
  const h = (xs.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < xs.length ? xs[i] + (h - i) * (xs[i + 1] - xs[i]) : xs[i];
}

/** The box of `values` (NaN and infinities left out); null when none is left. */
export function boxStats(values: readonly number[]): BoxStats | null {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!xs.length) return null;
  const q1 = quantile(xs, 0.25);
  const q3 = quantile(xs, 0.75);
  const reach = 1.5 * (q3 - q1);
  const inside = xs.filter((x) => x >= q1 - reach && x <= q3 + reach);
  return {
    n: xs.length,
    q1,
    median: quantile(xs, 0.5),
    q3,
    low: inside[0],
    high: inside[inside.length - 1],
    outliers: xs.filter((x) => x < q1 - reach || x > q3 + reach),
  };
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9 * step; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

export interface BoxGroup {
  name: string;
  values: readonly number[];
  /** The paper's mean for this group, if it publishes one. */
  paper?: number;
}

export interface BoxplotOptions {
  width: number;
  height: number;
  /** Text and mark scale (presentation mode enlarges). */
  k?: number;
  title?: string;
  yName?: string;
}

const BOX = '#dbeafe';
const EDGE = '#1d4ed8';
const PAPER = '#b91c1c';
const AXIS = '#334155';

const fmt = (v: number) => v.toFixed(2);

/** Height of one group's row at scale 1 (the figure grows with the number of groups). */
export const ROW_HEIGHT = 38;

/** The height the box plot of `n` groups takes at scale `k` (with a title). */
export function boxplotHeight(n: number, k = 1): number {
  return Math.round((30 + 34 + 46) * k + Math.max(n, 1) * ROW_HEIGHT * k);
}

/**
 * The box plot of `groups` as an SVG document of the given size: one row per group, its name
 * on the left (read without turning one's head, even on a phone), accuracy along the bottom.
 */
export function boxplotSvg(groups: readonly BoxGroup[], o: BoxplotOptions): string {
  const k = o.k ?? 1;
  const W = Math.max(240, o.width);
  const H = Math.max(160, o.height);
  const font = 12 * k;
  const stats = groups.map((g) => boxStats(g.values));
  const all = [...stats.flatMap((s) => (s ? [s.low, s.high, ...s.outliers] : [])), ...groups.flatMap((g) => (g.paper === undefined ? [] : [g.paper]))];
  const longest = Math.max(0, ...groups.map((g) => g.name.length));
  const left = Math.min(font * 0.6 * longest + 10 * k, W * 0.42);
  const right = 16 * k;
  const top = (o.title ? 30 : 8) * k;
  const bottom = 34 * k + (o.yName ? font * 1.3 : 0) + font * 2.9;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const parts: string[] = [];
  if (o.title) parts.push(`<text x="${W / 2}" y="${20 * k}" text-anchor="middle" font-size="${13 * k}" font-weight="600" fill="${AXIS}">${escapeHtml(o.title)}</text>`);
  if (!all.length) {
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle" font-size="${font}" fill="${AXIS}">No test accuracy to show.</text>`);
    return wrap(W, H, parts);
  }
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  const pad = Math.max((hi - lo) * 0.05, 0.05);
  lo -= pad;
  hi += pad;
  const ticks = niceTicks(lo, hi, Math.max(2, Math.min(6, Math.floor(plotW / (font * 4.5)))));
  const x = (v: number) => left + (plotW * (v - lo)) / (hi - lo);
  const axisY = top + plotH;
  // Grid and the value axis along the bottom.
  for (const t of ticks) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${axisY}" stroke="#e2e8f0"/>`);
    parts.push(`<text x="${x(t)}" y="${axisY + font * 1.3}" text-anchor="middle" font-size="${font}" fill="${AXIS}">${+t.toFixed(4)}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${axisY}" stroke="${AXIS}"/>`);
  parts.push(`<line x1="${left}" x2="${W - right}" y1="${axisY}" y2="${axisY}" stroke="${AXIS}"/>`);
  if (o.yName) parts.push(`<text x="${left + plotW / 2}" y="${axisY + font * 2.7}" text-anchor="middle" font-size="${font}" fill="${AXIS}">${escapeHtml(o.yName)}</text>`);
  const row = plotH / groups.length;
  const half = Math.min(row * 0.24, 11 * k);
  const d = 5 * k;
  groups.forEach((g, i) => {
    const cy = top + row * (i + 0.5);
    const s = stats[i];
    parts.push(`<text x="${left - 8 * k}" y="${cy + font * 0.35}" text-anchor="end" font-size="${font}" fill="${AXIS}">${escapeHtml(g.name)}</text>`);
    if (s) {
      const tip = `${g.name}: ${s.n} seeds; median ${fmt(s.median)} %, middle half ${fmt(s.q1)}–${fmt(s.q3)} %, whiskers ${fmt(s.low)}–${fmt(s.high)} %${s.outliers.length ? `, ${s.outliers.length} beyond` : ''}`;
      const w = 1.2 * k;
      parts.push(`<g class="box" data-name="${escapeHtml(g.name)}" data-median="${s.median}"><title>${escapeHtml(tip)}</title>`);
      parts.push(`<line x1="${x(s.low)}" x2="${x(s.q1)}" y1="${cy}" y2="${cy}" stroke="${EDGE}" stroke-width="${w}"/>`);
      parts.push(`<line x1="${x(s.q3)}" x2="${x(s.high)}" y1="${cy}" y2="${cy}" stroke="${EDGE}" stroke-width="${w}"/>`);
      for (const v of [s.low, s.high]) parts.push(`<line x1="${x(v)}" x2="${x(v)}" y1="${cy - half / 2}" y2="${cy + half / 2}" stroke="${EDGE}" stroke-width="${w}"/>`);
      // A box of no width (every seed the same) still shows as a line.
      parts.push(`<rect x="${x(s.q1)}" y="${cy - half}" width="${Math.max(x(s.q3) - x(s.q1), 1)}" height="${2 * half}" fill="${BOX}" stroke="${EDGE}" stroke-width="${w}"/>`);
      parts.push(`<line x1="${x(s.median)}" x2="${x(s.median)}" y1="${cy - half}" y2="${cy + half}" stroke="${EDGE}" stroke-width="${2.5 * k}"/>`);
      for (const v of s.outliers) parts.push(`<circle cx="${x(v)}" cy="${cy}" r="${2.5 * k}" fill="${EDGE}" fill-opacity="0.5"/>`);
      parts.push('</g>');
    }
    if (g.paper !== undefined) {
      // Just below the box, so that it never hides the median.
      const py = cy + half + d + 1;
      parts.push(`<path class="paper-mean" d="${diamond(x(g.paper), py, d)}" fill="${PAPER}"><title>${escapeHtml(`${g.name}: the paper's mean, ${fmt(g.paper)} %`)}</title></path>`);
    }
  });
  // The key, in words, on two short lines from the left edge (it must fit a phone).
  const line2 = H - font * 0.5;
  const line1 = line2 - font * 1.45;
  const sw = font * 1.4;
  const kx = 8 * k;
  const tx = kx + sw + font * 0.4;
  const paper = groups.some((g) => g.paper !== undefined);
  const beyond = 'seeds beyond the whiskers';
  const px = tx + beyond.length * font * 0.56 + font * 1.2;
  parts.push(
    `<g font-size="${font}" fill="${AXIS}">` +
      `<rect x="${kx}" y="${line1 - font * 0.85}" width="${sw}" height="${font * 0.9}" fill="${BOX}" stroke="${EDGE}"/>` +
      `<line x1="${kx + sw / 2}" x2="${kx + sw / 2}" y1="${line1 - font * 0.85}" y2="${line1 + font * 0.05}" stroke="${EDGE}" stroke-width="${2 * k}"/>` +
      `<text x="${tx}" y="${line1}">middle half of the seeds, line at the median</text>` +
      `<circle cx="${kx + sw / 2}" cy="${line2 - font * 0.35}" r="${2.5 * k}" fill="${EDGE}" fill-opacity="0.5"/>` +
      `<text x="${tx}" y="${line2}">${beyond}</text>` +
      (paper ? `<path d="${diamond(px, line2 - font * 0.35, d)}" fill="${PAPER}"/><text x="${px + font * 0.8}" y="${line2}">the paper’s mean</text>` : '') +
      '</g>',
  );
  return wrap(W, H, parts);
}

function diamond(cx: number, cy: number, d: number): string {
  return `M${cx} ${cy - d}l${d} ${d}l${-d} ${d}l${-d} ${-d}z`;
}

function wrap(W: number, H: number, parts: string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif"><rect width="${W}" height="${H}" fill="#ffffff"/>${parts.join('')}</svg>`;
}

/** An SVG document as a PNG data URL, at `ratio` pixels per unit. */
export async function svgToPng(svg: string, width: number, height: number, ratio = 2): Promise<string> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
