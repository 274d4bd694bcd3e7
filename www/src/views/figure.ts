// What every teaching figure shares: its frame (the figure, a one-sentence caption and a
// short explanation beside it), the colour ramp, number formats and SVG helpers.
import './figures.css';

export interface FigureText {
  /** The caption: one sentence saying what the figure shows. */
  caption: string;
  /** A few sentences on how to read it (HTML allowed: glossary terms as <dfn data-term>). */
  explain: string;
}

export interface FigureFrame {
  root: HTMLElement;
  /** Where the figure draws. */
  body: HTMLElement;
  caption: HTMLElement;
  explain: HTMLElement;
  /** A fixed line for the value under the pointer or focus (values never float over marks). */
  readout: HTMLElement;
}

/** Builds a figure's frame inside `container` (emptied first). */
export function frame(container: HTMLElement, kind: string, text: FigureText): FigureFrame {
  container.replaceChildren();
  const root = el('figure', { class: `fig fig-${kind}` });
  const body = el('div', { class: 'fig-body' });
  const side = el('figcaption', { class: 'fig-side' });
  const caption = el('p', { class: 'fig-caption' });
  const explain = el('div', { class: 'fig-explain' });
  const readout = el('p', { class: 'fig-readout', 'aria-live': 'polite' });
  side.append(caption, readout, explain);
  root.append(body, side);
  container.append(root);
  caption.textContent = text.caption;
  explain.innerHTML = text.explain;
  return { root, body, caption, explain, readout };
}

/** An element with attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Viridis, dark purple (worse) to yellow (better). */
const RAMP = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'];
const RAMP_RGB = RAMP.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

/**
 * Options for a 2D canvas kept in memory rather than on the GPU, for the canvases whose pixels
 * we compute (space map, scatter) and for measuring text. A GPU canvas makes the page wait on
 * the GPU process when it is created and when its pixels are replaced; on a machine without a
 * GPU (software rendering) those waits took 70-420 ms of the main thread.
 */
export const CPU_CANVAS: CanvasRenderingContext2DSettings = { willReadFrequently: true };

/** The ramp's colour at `t` in [0, 1] (0 worse, 1 better), as [r, g, b]. */
export function rampRgb(t: number): [number, number, number] {
  const out: [number, number, number] = [0, 0, 0];
  rampInto(t, out, 0);
  return out;
}

/**
 * Writes the ramp's colour at `t` as r, g, b into `out` at `at`, allocating nothing (the space
 * map paints 15,625 cells at once).
 */
export function rampInto(t: number, out: { [i: number]: number }, at: number) {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP_RGB[i];
  const b = RAMP_RGB[i + 1];
  out[at] = Math.round(a[0] * (1 - f) + b[0] * f);
  out[at + 1] = Math.round(a[1] * (1 - f) + b[1] * f);
  out[at + 2] = Math.round(a[2] * (1 - f) + b[2] * f);
}

/** The ramp's colour at `t` as CSS. */
export function ramp(t: number): string {
  return `rgb(${rampRgb(t).join(',')})`;
}

/** A CSS gradient of the ramp, worse on the left. */
export const RAMP_GRADIENT = `linear-gradient(90deg, ${RAMP.join(', ')})`;

/** A score as the engine gave it, short but exact enough to compare by eye. */
export function fmt(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(digits - 1);
  return String(Number(v.toFixed(digits)));
}

/** A signed difference, e.g. "+0.0123" or "−1.2". */
export function fmtSigned(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  const s = fmt(Math.abs(v));
  return v > 0 ? `+${s}` : v < 0 ? `−${s}` : '0';
}

/** Seconds or counts with thousands separators. */
export function whole(v: number): string {
  return Math.round(v).toLocaleString('en');
}

/** NB201 operation names in short, for marks and labels. */
export const OP_SHORT: Record<string, string> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: '1×1',
  nor_conv_3x3: '3×3',
  avg_pool_3x3: 'avg',
};

/** One colour per operation (colour-blind safe, Okabe–Ito), with a dash pattern so colour is not the only cue. */
export const OP_STYLE: Record<string, { color: string; dash: string }> = {
  none: { color: '#9ca3af', dash: '3 3' },
  skip_connect: { color: '#000000', dash: '' },
  nor_conv_1x1: { color: '#0072b2', dash: '' },
  nor_conv_3x3: { color: '#d55e00', dash: '' },
  avg_pool_3x3: { color: '#009e73', dash: '8 3' },
};

/** Whether the user asked for less motion. */
export function reducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** A five-pointed star around (x, y) as an SVG path (outer radius R, inner r). */
export function star(x: number, y: number, R: number, r: number): string {
  const pts: string[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? r : R;
    pts.push(`${(x + rr * Math.cos(a)).toFixed(2)},${(y + rr * Math.sin(a)).toFixed(2)}`);
  }
  return `M${pts.join('L')}Z`;
}

/** About `n` round tick values between a and b. */
export function ticks(a: number, b: number, n: number): number[] {
  if (!(b > a)) return [a];
  const raw = (b - a) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + 1e-9 * step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten between a and b (both positive). */
export function logTicks(a: number, b: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(a)); e <= Math.floor(Math.log10(b)); e++) out.push(10 ** e);
  const every = Math.ceil(out.length / 6);
  return out.filter((_, i) => i % every === 0);
}
