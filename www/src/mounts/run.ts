// The Run view: the trajectory (what the search sees, and the test accuracy of its answer), the
// step inspector (local search's comparisons, one at a time), the successive-halving bracket with
// its budget, and the cell of the picked architecture, following the shell's run. A second run
// (`?vs=`) is overlaid on the trajectory. Below the charts, a data table of the run's
// improvements gives every key point to the keyboard and to screen readers.
import type { Shell, View } from '../shell/types';
import type { Algo } from '../types';
import { TrajectoryView } from '../views/trajectory';
import { BracketView } from '../views/bracket';
import { CellView, openEditor } from '../views/cell';
import { InspectorFigure } from '../views/inspector';
import { compareChanged, compareControl, overlaySecondRun } from '../views/compare';
import { emptyInspector, foldInspector, type Inspector } from '../models/inspector';
import { download } from '../export';
import { timed } from '../perf';
import { improvementsTable } from './tables';
import { showCoverage } from '../views/coverage';
import { labButtons, labCell } from '../lab/mount';
import { startsFromCell } from '../state';

/** Algorithms whose search climbs, so the inspector has comparisons to show. */
const CLIMBS: readonly Algo[] = ['ls', 'bls', 'mf-nas'];

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="coverage-notes" id="run-coverage" role="status" hidden></div>
    <div class="figure trajectory" id="run-figure">
      <h2 class="visually-hidden">Trajectory</h2>
      <div class="traj-toolbar"><p class="start-chip" hidden></p></div>
      <div id="trajectory" class="chart" role="img" aria-label="Objective of every evaluation, the current and the best-so-far architecture, per stage; the table below lists the improvements"></div>
      <div id="trajectory-test" class="chart" role="img" aria-label="Test accuracy of every evaluation and of the answer so far; escapes marked by triangles"></div>
      <p class="hint muted">Drag across a chart to zoom, double-click to zoom out; click a point for its cell.</p>
    </div>
    <details class="data-table" id="run-data"><summary>Improvements as a table</summary><div class="table-scroll" tabindex="0" role="region" aria-label="Improvements of the run"></div></details>
    <section class="panel" id="inspector-panel" aria-labelledby="inspector-title"><h2 id="inspector-title">Step inspector</h2><div id="inspector"></div></section>
    <div class="row">
      <section class="panel grow" aria-labelledby="bracket-title"><h2 id="bracket-title">Successive halving and the budget</h2><div id="bracket"></div></section>
      <section class="panel cell-panel" aria-labelledby="cell-title"><h2 id="cell-title">Cell</h2><div id="cell" class="chart cell" role="img" aria-label="The cell of the picked architecture; its operations are listed below"></div><div id="cell-info"></div></section>
    </div>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const words = () => shell.state.words;
  q('.traj-toolbar').append(compareControl(shell));
  const startChip = q('.start-chip');
  /** Says where local search starts when a cell was chosen (the editor's "Start a local search here"). */
  const showStart = () => {
    const s = shell.state;
    startChip.hidden = s.start === null;
    if (s.start === null) return;
    startChip.innerHTML = startsFromCell(s.algo, s.stage1)
      ? `Local search starts at cell <button type="button" class="link" data-edit="${s.start}">#${s.start}</button> (chosen in the cell editor). <button type="button" class="clear-start">Start at a random cell</button>`
      : `The chosen start cell #${s.start} is not used: ${s.algo === 'mf-nas' ? 'MF-NAS with random search in stage 1' : 'this algorithm'} has no start cell. <button type="button" class="clear-start">Forget it</button>`;
  };
  startChip.addEventListener('click', (ev) => {
    const t = ev.target as HTMLElement;
    if (t.closest('.clear-start')) shell.set({ start: null });
    const edit = t.closest<HTMLElement>('[data-edit]');
    if (edit) openEditor(shell, Number(edit.dataset.edit));
  });
  showStart();
  const trajectory = new TrajectoryView(q('#trajectory'), q('#trajectory-test'));
  const bracket = new BracketView(q('#bracket'), { words: words() });
  const cell = new CellView(q('#cell'), q('#cell-info'));
  cell.onEdit = (id) => openEditor(shell, id);
  const inspector = new InspectorFigure(
    q('#inspector'),
    {
      arch: (key) => shell.client.request({ type: 'arch', arch: key }),
      neighbours: (key) => shell.client.request({ type: 'neighbours', arch: key }),
    },
    { scope: 'neighbourhood', words: words() },
  );
  let model: Inspector = emptyInspector();
  const data = q<HTMLDetailsElement>('#run-data');
  trajectory.onPick = (arch) => shell.pickArch(arch);
  bracket.onPick = (arch) => shell.pickArch(arch);
  // The cell panel follows local search while it runs (afterwards it shows the returned cell).
  inspector.onCurrent = (key) => visible && !model.ended && shell.pickArch(key);
  data.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
    if (b) shell.pickArch(Number(b.dataset.arch));
  });
  let visible = false;

  /** Each part in its own task, so that no single task grows long. */
  const redraw = () => {
    if (!visible) return;
    const run = shell.run;
    timed('redraw trajectory', () => trajectory.render(run.trajectory, shell.state.x));
    setTimeout(() => {
      timed('redraw bracket', () => bracket.render(run.bracket, run.info, run.outcome?.arch ?? null));
      setTimeout(() => timed('redraw inspector', () => inspector.update(model)), 0);
      if (data.open) setTimeout(() => timed('redraw improvements table', () => (data.querySelector('.table-scroll')!.innerHTML = improvementsTable(run.trajectory))), 0);
    }, 0);
  };
  const startRun = (info: NonNullable<typeof shell.run.info>) => {
    trajectory.setObjectives(info.objectives, info.algo === 'mf-nas');
    q('#inspector-panel').hidden = !CLIMBS.includes(info.algo);
    model = foldInspector(emptyInspector(), shell.runEvents().events);
  };
  const overlay = () => overlaySecondRun(shell, trajectory, redraw);
  data.addEventListener('toggle', redraw);
  shell.on('runStarted', (info) => {
    void showCoverage(shell.client, [shell.runParams()], q('#run-coverage'));
    startRun(info);
    cell.clear('Pick an architecture in the trajectory, the bracket or the table to see its cell.');
    void overlay();
  });
  shell.on('batch', (events) => foldInspector(model, events));
  shell.on('redraw', redraw);
  shell.on('arch', (a) => {
    cell.render(a);
    // The lab builds NB201 networks only.
    if (shell.table?.space === 'nb201') labButtons(q('#cell-info'), labCell(a, shell.table.title));
  });
  shell.on('state', (s, changed) => {
    if (changed.has('start') || changed.has('algo') || changed.has('stage1')) showStart();
    if (changed.has('words')) {
      trajectory.setWords(s.words);
      bracket.configure({ words: s.words });
      inspector.configure({ words: s.words });
    }
    if (compareChanged(changed)) void overlay();
    if (changed.has('x') || changed.has('words')) redraw();
  });
  shell.on('present', () => {
    // A full relayout, so that explicit sizes are redrawn at the new scale.
    trajectory.setObjectives(shell.run.info?.objectives ?? []);
    redraw();
  });
  trajectory.setWords(words());
  if (shell.run.info) startRun(shell.run.info);
  void overlay();
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
