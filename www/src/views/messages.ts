// Messages on the page: errors and warnings that say what went wrong and what to do.
// The page never goes blank: every failure ends up here.
import { escapeHtml } from '../html';

export interface MessageAction {
  label: string;
  run: () => void;
}

export class Messages {
  constructor(private el: HTMLElement) {}

  show(kind: 'error' | 'warning', text: string, key?: string, action?: MessageAction) {
    if (key) this.dismiss(key);
    const div = document.createElement('div');
    div.className = `message ${kind}`;
    div.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    if (key) div.dataset.key = key;
    div.innerHTML = `<span>${escapeHtml(text)}</span>`;
    if (action) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = action.label;
      b.onclick = () => action.run();
      div.append(b);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = '×';
    close.title = 'Dismiss';
    close.onclick = () => div.remove();
    div.append(close);
    this.el.append(div);
  }

  dismiss(key: string) {
    this.el.querySelectorAll(`[data-key="${CSS.escape(key)}"]`).forEach((e) => e.remove());
  }
}
