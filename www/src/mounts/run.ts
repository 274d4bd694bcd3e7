// The Run view: the trajectory (objective and test accuracy against cost), the successive-
// halving bracket and the cell of the picked architecture, following the shell's run. Below the
// charts, a data table of the run's improvements gives every key point to the keyboard and to
// screen readers.
import type { Shell, View } from '../shell/types';
import { TrajectoryView } from '../views/trajectory';
import { BracketView } from '../views/bracket';
import { CellView } from '../views/cell';
import { download } from '../export';
import { timed } from '../perf';
import { improvementsTable } from './tables';
import { showCoverage } from '../views/coverage';

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="coverage-notes" id="run-coverage" role="status" hidden></div>
    <div class="figure trajectory" id="run-figure">
      <h2 class="visually-hidden">Trajectory</h2>
      <div id="trajectory" class="chart" role="img" aria-label="Objective of every evaluation, the current and the best-so-far architecture against simulated cost; the table below lists the improvements"></div>
      <div id="trajectory-test" class="chart" role="img" aria-label="Test accuracy of every evaluation and of the best so far; escapes marked by triangles"></div>
      <p class="hint muted">Drag across a chart to zoom, double-click to zoom out; click a point for its cell.</p>
    </div>
    <details class="data-table" id="run-data"><summary>Improvements as a table</summary><div class="table-scroll" tabindex="0" role="region" aria-label="Improvements of the run"></div></details>
    <div class="row">
      <section class="panel grow" aria-labelledby="bracket-title"><h2 id="bracket-title">Successive-halving bracket</h2><div id="bracket"></div></section>
      <section class="panel cell-panel" aria-labelledby="cell-title"><h2 id="cell-title">Cell</h2><div id="cell" class="chart cell" role="img" aria-label="The cell of the picked architecture; its operations are listed below"></div><div id="cell-info"></div></section>
    </div>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const trajectory = new TrajectoryView(q('#trajectory'), q('#trajectory-test'));
  const bracket = new BracketView(q('#bracket'));
  const cell = new CellView(q('#cell'), q('#cell-info'));
  const data = q<HTMLDetailsElement>('#run-data');
  trajectory.onPick = (arch) => shell.pickArch(arch);
  bracket.onPick = (arch) => shell.pickArch(arch);
  data.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
    if (b) shell.pickArch(Number(b.dataset.arch));
  });
  let visible = false;

  /** Each part in its own task, so that no single task grows long. */
  const redraw = () => {
    if (!visible) return;
    const run = shell.run;
    const hasBracket = run.info?.algo === 'mf-nas' || run.info?.algo === 'sh';
    timed('redraw trajectory', () => trajectory.render(run.trajectory, shell.state.x));
    setTimeout(() => {
      timed('redraw bracket', () => bracket.render(run.bracket, hasBracket, run.outcome?.arch ?? null));
      if (data.open) setTimeout(() => timed('redraw improvements table', () => (data.querySelector('.table-scroll')!.innerHTML = improvementsTable(run.trajectory))), 0);
    }, 0);
  };
  data.addEventListener('toggle', redraw);
  shell.on('runStarted', (info) => {
    void showCoverage(shell.client, [shell.runParams()], q('#run-coverage'));
    trajectory.setObjectives(info.objectives);
    cell.clear('Pick an architecture in the trajectory, the bracket or the table to see its cell.');
  });
  shell.on('redraw', redraw);
  shell.on('arch', (a) => cell.render(a));
  shell.on('state', (_s, changed) => changed.has('x') && redraw());
  shell.on('present', () => {
    // A full relayout, so that explicit sizes are redrawn at the new scale.
    trajectory.setObjectives(shell.run.info?.objectives ?? []);
    redraw();
  });
  if (shell.run.info) trajectory.setObjectives(shell.run.info.objectives);
  cell.clear('Pick an architecture in the trajectory, the bracket or the table to see its cell.');
  if (shell.state.arch !== null) shell.pickArch(shell.state.arch);

  return {
    figure: q('#run-figure'),
    show() {
      visible = true;
      redraw();
    },
    hide() {
      visible = false;
    },
    export(format, stem) {
      if (format === 'json' || format === 'csv') return shell.exportRunEvents(format, stem);
      void trajectory.figure(format, shell.run.trajectory, shell.state.x).then(
        (figure) => download(`${stem}.${format}`, figure, 'image/svg+xml'),
        (e: Error) => shell.message('error', `Cannot export the figure: ${e.message}`, 'export'),
      );
    },
  };
}
