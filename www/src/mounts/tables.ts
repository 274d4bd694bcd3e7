// Data tables that stand in for a figure's marks (for the keyboard and screen readers): every
// row names its architecture with a button that shows its cell.
import type { Trajectory } from '../models/trajectory';
import { escapeHtml } from '../html';

const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '—' : v.toFixed(digits));
const int = (v: number) => Math.round(v).toLocaleString('en');

export function archButton(arch: number): string {
  return `<button type="button" class="link" data-arch="${arch}" aria-label="Show the cell of architecture ${arch}">#${arch}</button>`;
}

/** The run's improvements (each best-so-far change) and its stage and rung boundaries. */
export function improvementsTable(t: Trajectory): string {
  const rows: { evals: number; cost: number; html: string }[] = [];
  for (const [objective, points] of t.best) {
    for (const p of points) {
      rows.push({ evals: p.evals, cost: p.cost, html: `<td>new best</td><td>${escapeHtml(objective)}</td><td class="num">${num(p.value, 4)}</td><td>${archButton(p.arch)}</td>` });
    }
  }
  for (const m of [...t.stages, ...t.rungs]) rows.push({ evals: m.evals, cost: m.cost, html: `<td colspan="4">${escapeHtml(m.label)}</td>` });
  rows.sort((a, b) => a.evals - b.evals || a.cost - b.cost);
  if (rows.length === 0) return '<p class="muted">No improvement yet: play or step the run.</p>';
  return `<table class="results"><caption>${rows.length} events of ${t.evals.toLocaleString('en')} evaluations</caption>
    <thead><tr><th scope="col">evaluations</th><th scope="col">cost (s)</th><th scope="col">what</th><th scope="col">objective</th><th scope="col">score</th><th scope="col">architecture</th></tr></thead>
    <tbody>${rows.map((r) => `<tr><td class="num">${int(r.evals)}</td><td class="num">${int(r.cost)}</td>${r.html}</tr>`).join('')}</tbody></table>`;
}
