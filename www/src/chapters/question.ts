// "Predict, then reveal": one question per chapter. The student picks an answer first (the
// Reveal button waits for it), then the page computes the right one from the engine and says
// why, with the numbers as facts the end-to-end test checks. Radio buttons in a fieldset, so
// the keyboard and screen readers get a native control; the verdict is told in words and by a
// glyph, never by colour alone.
import { escapeHtml } from '../html';

export interface Option {
  id: string;
  /** Plain text. */
  text: string;
}

/** What the engine says the answer is. */
export interface Answer {
  /** The right option's id. */
  correct: string;
  /** Why (HTML: prose with facts). */
  html: string;
}

export interface QuestionSpec {
  /** The question (HTML: numbers in it are facts). */
  prompt: string;
  options: Option[];
  /** Computes the answer from the engine; called when the student asks for it. */
  answer: () => Promise<Answer>;
}

let count = 0;

export class Question {
  readonly root: HTMLElement;
  /** Called once the answer is shown (a chapter may move its figure to where the answer is seen). */
  onReveal: (answer: Answer) => void = () => {};
  /** Called after `onReveal` (the chapters view adds a way to the figure). */
  onRevealed: () => void = () => {};
  private button: HTMLButtonElement;
  private result: HTMLElement;
  private revealed: Answer | null = null;

  constructor(
    container: HTMLElement,
    private spec: QuestionSpec,
  ) {
    const id = `predict-${++count}`;
    this.root = document.createElement('section');
    this.root.className = 'predict';
    this.root.setAttribute('aria-labelledby', `${id}-title`);
    this.root.innerHTML = `
      <h3 id="${id}-title">Predict, then reveal</h3>
      <fieldset>
        <legend>${spec.prompt}</legend>
        ${spec.options
          .map(
            (o) =>
              `<label class="option" data-option="${escapeHtml(o.id)}"><input type="radio" name="${id}" value="${escapeHtml(o.id)}" /> <span class="option-text">${escapeHtml(o.text)}</span> <span class="option-mark"></span></label>`,
          )
          .join('')}
      </fieldset>
      <div class="predict-actions">
        <button type="button" class="primary reveal-button" disabled aria-describedby="${id}-hint">Reveal</button>
        <span class="muted predict-hint" id="${id}-hint">Pick your answer first.</span>
      </div>
      <div class="reveal" aria-live="polite"></div>`;
    container.replaceChildren(this.root);
    this.button = this.root.querySelector('.reveal-button')!;
    this.result = this.root.querySelector('.reveal')!;
    const hint = this.root.querySelector<HTMLElement>('.predict-hint')!;
    this.root.addEventListener('change', () => {
      if (this.revealed) return;
      this.button.disabled = this.choice() === null;
      hint.textContent = this.button.disabled ? 'Pick your answer first.' : '';
    });
    this.button.onclick = () => void this.reveal();
  }

  /** The option the student picked, or null. */
  choice(): string | null {
    return this.root.querySelector<HTMLInputElement>('input:checked')?.value ?? null;
  }

  /** Whether the answer is on screen. */
  get isRevealed(): boolean {
    return this.revealed !== null;
  }

  private async reveal() {
    const picked = this.choice();
    if (picked === null || this.revealed) return;
    this.button.disabled = true;
    this.button.textContent = 'Computing…';
    let answer: Answer;
    try {
      answer = await this.spec.answer();
    } catch (e) {
      this.button.disabled = false;
      this.button.textContent = 'Reveal';
      this.result.innerHTML = `<p class="warn">The engine could not compute the answer: ${escapeHtml((e as Error).message)}</p>`;
      return;
    }
    this.revealed = answer;
    this.button.hidden = true;
    this.root.querySelector('.predict-hint')!.textContent = '';
    for (const input of this.root.querySelectorAll<HTMLInputElement>('input')) input.disabled = true;
    for (const label of this.root.querySelectorAll<HTMLElement>('label.option')) {
      const id = label.dataset.option!;
      const mark = label.querySelector('.option-mark')!;
      label.classList.toggle('correct', id === answer.correct);
      label.classList.toggle('picked', id === picked);
      mark.textContent = id === answer.correct ? '✓ the answer' : id === picked ? '✗ your guess' : '';
    }
    const right = picked === answer.correct;
    this.root.dataset.revealed = answer.correct;
    this.root.dataset.picked = picked;
    this.result.innerHTML = `<p class="verdict ${right ? 'right' : 'wrong'}">${right ? '✓ Right.' : '✗ Not quite.'}</p>${answer.html}`;
    this.onReveal(answer);
    this.onRevealed();
  }
}
