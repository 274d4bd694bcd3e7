// The glossary on the page: any element with a `data-term` attribute shows its key's entry in a
// tooltip on hover and on keyboard focus (it is made focusable unless it holds a control),
// Escape hides it; a menu inside it adds the entry of its chosen option. Elements with
// a `data-label` attribute are relabelled when the wording switches between plain and exact.
import { type Term, type Words, label, lookup, optionTerm } from '../models/glossary';

export class GlossaryTips {
  private tip: HTMLElement;
  private target: HTMLElement | null = null;
  private observer: MutationObserver;

  constructor(
    private root: HTMLElement,
    private words: Words = 'plain',
  ) {
    const doc = root.ownerDocument;
    this.tip = doc.createElement('div');
    this.tip.id = 'glossary-tip';
    this.tip.setAttribute('role', 'tooltip');
    this.tip.hidden = true;
    doc.body.append(this.tip);
    root.addEventListener('pointerover', (ev) => this.enter(ev.target));
    root.addEventListener('pointerout', (ev) => this.leave(ev.relatedTarget));
    root.addEventListener('focusin', (ev) => this.enter(ev.target));
    root.addEventListener('focusout', () => this.hide());
    // Pressing a button is acting on it: its explanation goes away (else it stayed, since the
    // button keeps the focus, over whatever the click opened or changed).
    root.addEventListener('click', (ev) => {
      if (this.target && (ev.target as Element | null)?.closest?.('button') && this.target.contains(ev.target as Node)) this.hide();
    });
    root.addEventListener('change', (ev) => {
      if (this.target && this.target.contains(ev.target as Node)) this.show(this.target);
    });
    doc.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !this.tip.hidden) this.hide();
    });
    this.prepare(root);
    this.observer = new MutationObserver((list) => {
      for (const m of list) for (const n of m.addedNodes) if (n instanceof Element) this.prepare(n);
    });
    this.observer.observe(root, { childList: true, subtree: true });
  }

  /** Switches every `data-label` element to `words`. */
  setWords(words: Words) {
    this.words = words;
    for (const e of this.root.querySelectorAll<HTMLElement>('[data-label]')) e.textContent = label(e.dataset.label!, words);
  }

  /** Makes glossary terms focusable and labels them in the current wording. */
  private prepare(root: Element) {
    const terms = [...(root.matches('[data-term]') ? [root] : []), ...root.querySelectorAll('[data-term]')];
    for (const e of terms) {
      const control = e.matches('button, input, select, textarea, a[href]') || e.querySelector('button, input, select, textarea, a[href]');
      if (!e.hasAttribute('tabindex') && !control) e.setAttribute('tabindex', '0');
      e.classList.add('term');
    }
    const labels = [...(root.matches('[data-label]') ? [root] : []), ...root.querySelectorAll('[data-label]')];
    for (const e of labels) e.textContent = label((e as HTMLElement).dataset.label!, this.words);
  }

  private enter(t: EventTarget | null) {
    const el = (t as Element | null)?.closest?.<HTMLElement>('[data-term]');
    if (!el || el === this.target) return;
    this.show(el);
  }

  private leave(to: EventTarget | null) {
    if (this.target && to instanceof Node && this.target.contains(to)) return;
    if (this.target && this.target === this.target.ownerDocument.activeElement) return;
    this.hide();
  }

  private show(el: HTMLElement) {
    this.target = el;
    const tip = this.tip;
    tip.replaceChildren(...this.entry(lookup(el.dataset.term!)));
    const menu = el.querySelector('select');
    const option = menu ? optionTerm(menu.name, menu.value) : null;
    if (option) {
      const sep = tip.ownerDocument.createElement('hr');
      tip.append(sep, ...this.entry(option));
    }
    tip.hidden = false;
    el.setAttribute('aria-describedby', tip.id);
    const r = el.getBoundingClientRect();
    const w = Math.min(340, window.innerWidth - 16);
    tip.style.maxWidth = `${w}px`;
    const left = Math.max(8, Math.min(r.left, window.innerWidth - w - 8));
    const below = r.bottom + 8 + tip.offsetHeight < window.innerHeight;
    tip.style.left = `${left}px`;
    tip.style.top = `${below ? r.bottom + 6 : Math.max(8, r.top - tip.offsetHeight - 6)}px`;
  }

  private entry(e: Term): HTMLElement[] {
    const doc = this.tip.ownerDocument;
    const head = doc.createElement('p');
    const strong = doc.createElement('strong');
    strong.textContent = e.plain;
    const code = doc.createElement('code');
    code.textContent = e.exact;
    head.append(strong, ' ', code);
    const body = doc.createElement('p');
    body.textContent = e.text;
    return [head, body];
  }

  private hide() {
    this.tip.hidden = true;
    this.target?.removeAttribute('aria-describedby');
    this.target = null;
  }
}
