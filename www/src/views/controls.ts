// The settings form: filled from the UI state, and reporting edits as partial states.
import type { Algo, TableInfo } from '../types';
import { ALGOS, DATASETS, SPEEDS } from '../config';
import { FIELDS, type FieldName, type UiState } from '../state';

type Patch = Partial<UiState>;

export class Controls {
  private form: HTMLFormElement;
  onChange: (patch: Patch) => void = () => {};
  /** A field holds text it cannot take: `text` says in words what it expects. */
  onInvalid: (field: string, text: string) => void = () => {};
  onValid: (field: string) => void = () => {};

  constructor(form: HTMLFormElement) {
    this.form = form;
    fill(this.select('dataset'), Object.entries(DATASETS).map(([v, d]) => [v, d.label]));
    fill(this.select('algo'), Object.entries(ALGOS));
    fill(this.select('speed'), SPEEDS.map((s) => [s, s === 'max' ? 'as fast as possible' : `${s} / s`]));
    // Fields may sit elsewhere on the page (the play bar) and join the form by their form attribute.
    form.ownerDocument.addEventListener('change', (ev) => {
      const el = ev.target as HTMLInputElement | HTMLSelectElement;
      if (!el.name || el.form !== form) return;
      const patch = this.read(el);
      if (patch) this.onChange(patch);
    });
    form.addEventListener('submit', (ev) => ev.preventDefault());
  }

  private select(name: string): HTMLSelectElement {
    return this.form.ownerDocument.querySelector<HTMLSelectElement>(`select[name="${name}"][form="settings"], #settings select[name="${name}"]`)!;
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement | null {
    return this.form.ownerDocument.querySelector<HTMLInputElement>(`[name="${name}"][form="settings"], #settings [name="${name}"]`);
  }

  /**
   * Turns one edited field into a state patch. A text the field cannot take is not applied:
   * the field is marked invalid and says in words what it expects.
   */
  private read(el: HTMLInputElement | HTMLSelectElement): Patch | null {
    const { name, value } = el;
    if (name in FIELDS) {
      const r = FIELDS[name as FieldName](value);
      const note = this.form.ownerDocument.getElementById(`${name}-error`);
      if (!r.ok) {
        el.setAttribute('aria-invalid', 'true');
        if (note) note.textContent = `${r.expects}.`;
        this.onInvalid(name, `${r.expects}.`);
        return null;
      }
      el.removeAttribute('aria-invalid');
      if (note) note.textContent = '';
      this.onValid(name);
      return { [name]: r.value } as Patch;
    }
    switch (name) {
      case 'dataset':
      case 'algo':
      case 'zc':
      case 'stage1':
      case 'stage2':
      case 'speed':
      case 'x':
        return { [name]: value } as Patch;
      default:
        return null;
    }
  }

  /** Shows `s` in the form and hides settings that do not apply to its algorithm. */
  show(s: UiState) {
    const set = (name: string, v: string) => {
      const f = this.field(name);
      if (f && f.value !== v && f.getAttribute('aria-invalid') !== 'true') f.value = v;
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
    set('runs', String(s.runs));
    for (const label of this.form.querySelectorAll<HTMLElement>('[data-for]')) {
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
}

export function fill(sel: HTMLSelectElement, options: [string, string][]) {
  const v = sel.value;
  sel.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  if (options.some(([o]) => o === v)) sel.value = v;
}

export type { Algo };
