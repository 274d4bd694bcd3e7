// The settings form: filled from the UI state, and reporting edits as partial states.
import type { Algo, TableInfo } from '../types';
import { ALGOS, DATASETS, SPEEDS } from '../config';
import type { UiState } from '../state';

type Patch = Partial<UiState>;

export class Controls {
  private form: HTMLFormElement;
  onChange: (patch: Patch) => void = () => {};

  constructor(form: HTMLFormElement) {
    this.form = form;
    fill(this.select('dataset'), Object.entries(DATASETS).map(([v, d]) => [v, d.label]));
    fill(this.select('algo'), Object.entries(ALGOS));
    fill(this.select('speed'), SPEEDS.map((s) => [s, s === 'max' ? 'as fast as possible' : `${s} / s`]));
    // Fields may sit elsewhere on the page and join the form by their form attribute.
    form.ownerDocument.addEventListener('change', (ev) => {
      const el = ev.target as HTMLInputElement | HTMLSelectElement;
      if (!el.name || el.form !== form) return;
      const patch = this.read(el.name, el.value);
      if (patch) this.onChange(patch);
    });
    form.addEventListener('submit', (ev) => ev.preventDefault());
  }

  private select(name: string): HTMLSelectElement {
    return this.form.ownerDocument.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement {
    return this.form.ownerDocument.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  }

  /** Turns one edited field into a state patch; an invalid entry is left for the engine to explain. */
  private read(name: string, value: string): Patch | null {
    const num = (v: string) => (v.trim() === '' ? null : Number(v));
    switch (name) {
      case 'dataset':
      case 'algo':
      case 'zc':
      case 'stage1':
      case 'stage2':
      case 'speed':
      case 'x':
      case 'metric':
      case 'kind':
        return { [name]: value } as Patch;
      case 'budget':
      case 'm':
      case 'k':
        return { [name]: num(value) } as Patch;
      case 'seed':
      case 'runs':
        return value.trim() === '' ? null : ({ [name]: Math.max(0, Math.floor(Number(value))) } as Patch);
      case 'ladder':
        return { ladder: value.split(',').map((s) => s.trim()).filter(Boolean) };
      case 'keep':
        return { keep: value.split(',').map((s) => s.trim()).filter(Boolean).map(Number) };
      default:
        return null;
    }
  }

  /** Shows `s` in the form and hides settings that do not apply to its algorithm. */
  show(s: UiState) {
    const set = (name: string, v: string) => {
      const f = this.field(name);
      if (f && f.value !== v) f.value = v;
    };
    set('dataset', s.dataset);
    set('algo', s.algo);
    set('zc', s.zc);
    set('budget', s.budget === null ? '' : String(s.budget));
    set('seed', String(s.seed));
    set('stage1', s.stage1);
    set('m', s.m === null ? '' : String(s.m));
    set('k', s.k === null ? '' : String(s.k));
    set('ladder', s.ladder.join(','));
    set('keep', s.keep.join(','));
    set('stage2', s.stage2);
    set('speed', s.speed);
    set('x', s.x);
    set('metric', s.metric);
    set('kind', s.kind);
    set('runs', String(s.runs));
    for (const label of this.form.querySelectorAll<HTMLElement>('label[data-for]')) {
      label.hidden = !label.dataset.for!.split(' ').includes(s.algo);
    }
  }

  /** Fills the proxy list from the table. */
  setTable(info: TableInfo, s: UiState) {
    fill(this.select('zc'), info.proxies.map((p) => [p, p]));
    this.select('zc').value = s.zc;
    const budget = this.field('budget') as HTMLInputElement;
    budget.placeholder = info.default_budget_s ? `paper's: ${info.default_budget_s.toLocaleString('en')}` : 'required';
  }

  setMetrics(metrics: string[], s: UiState) {
    fill(this.select('metric'), metrics.map((m) => [m, m]));
    this.select('metric').value = s.metric;
  }
}

export function fill(sel: HTMLSelectElement, options: [string, string][]) {
  const v = sel.value;
  sel.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  if (options.some(([o]) => o === v)) sel.value = v;
}

export type { Algo };
