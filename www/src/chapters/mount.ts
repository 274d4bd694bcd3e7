// The chapters view (the landing page): the list of chapters, then the open chapter's prose
// beside its figure, its "predict, then reveal" question, a link that opens the figure in the
// free-form explorer with the same settings, and a small picker of the dataset and seed (the
// settings panel is hidden here: each chapter sets what its figure needs).
import './chapters.css';
import type { Shell, ShellEvent, ShellEvents, View } from '../shell/types';
import { DATASETS, type Dataset } from '../config';
import { FIELDS } from '../state';
import { escapeHtml } from '../html';
import { timed } from '../perf';
import { CHAPTERS, CHAPTER_PARAM, type ChapterSpec, chapterOf, enterState, explorerState, missingSettings, settingsPatch } from './list';
import type { Chapter, ChapterContext } from './types';
import { Question } from './question';

/** Tables of a sample of the space, not the whole of it. */
const PARTIAL: readonly Dataset[] = ['cifar10-curves200'];

interface Open {
  spec: ChapterSpec;
  chapter: Chapter | null;
  stops: (() => void)[];
}

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <nav class="chapter-nav" aria-label="Chapters"><ol>${CHAPTERS.map(
      (c, i) => `<li><a href="#" data-chapter="${c.id}"><span class="chapter-n">${i + 1}</span> ${escapeHtml(c.short)}</a></li>`,
    ).join('')}</ol></nav>
    <div class="chapter with-prose">
      <article class="prose" aria-labelledby="chapter-title">
        <p class="chapter-kicker muted"></p>
        <h2 id="chapter-title"></h2>
        <div class="chapter-text"></div>
        <nav class="chapter-steps" aria-label="Previous and next chapter"></nav>
      </article>
      <div class="chapter-figure">
        <div class="chapter-picker" role="group" aria-label="Dataset and seed of the chapter">
          <label class="inline" data-term="dataset">Dataset <select name="chapter-dataset"></select></label>
          <label class="inline chapter-seed" data-term="seed">Seed <input name="chapter-seed" inputmode="numeric" size="6" aria-describedby="chapter-seed-error" /></label>
          <span class="field-error" id="chapter-seed-error" aria-live="polite"></span>
        </div>
        <div class="chapter-runbar"></div>
        <div class="chapter-body"></div>
        <p class="chapter-open"><a class="open-explorer" href="#">Open this figure in the explorer ↗</a> <span class="muted">(every setting, the full controls)</span></p>
      </div>
    </div>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const text = q('.chapter-text');
  const body = q('.chapter-body');
  const datasetSel = q<HTMLSelectElement>('select[name=chapter-dataset]');
  const seedInput = q<HTMLInputElement>('input[name=chapter-seed]');
  const seedError = q('#chapter-seed-error');
  // The chapters speak of the whole space: tables of a sample (the 200 cells with full curves) are left out.
  datasetSel.innerHTML = Object.entries(DATASETS)
    .filter(([v]) => !PARTIAL.includes(v as Dataset) || v === shell.state.dataset)
    .map(([v, d]) => `<option value="${v}">${escapeHtml(d.label)}</option>`)
    .join('');
  datasetSel.onchange = () => shell.set({ dataset: datasetSel.value as Dataset });
  seedInput.onchange = () => {
    const r = FIELDS.seed(seedInput.value);
    seedInput.setAttribute('aria-invalid', String(!r.ok));
    seedError.textContent = r.ok ? '' : `${r.expects}.`;
    if (r.ok) shell.set({ seed: r.value });
  };

  const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  let open: Open | null = null;
  let visible = false;
  let ticket = 0;

  /** Moves to chapter `c` as a new history entry (Back returns). */
  const go = (c: ChapterSpec) => shell.navigate(enterState(c, shell.state));
  const chapterHref = (c: ChapterSpec) => shell.href(enterState(c, shell.state));

  const showLinks = () => {
    const spec = open?.spec ?? chapterOf(shell.state);
    for (const a of el.querySelectorAll<HTMLAnchorElement>('.chapter-nav a, .chapter-steps a')) {
      const c = CHAPTERS.find((x) => x.id === a.dataset.chapter)!;
      a.href = chapterHref(c);
      if (a.closest('.chapter-nav')) {
        if (c === spec) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    }
    q<HTMLAnchorElement>('.open-explorer').href = shell.href(explorerState(spec, shell.state));
    q('.chapter-seed').hidden = !spec.seeded;
    datasetSel.value = shell.state.dataset;
    if (document.activeElement !== seedInput) seedInput.value = String(shell.state.seed);
  };

  el.addEventListener('click', (ev) => {
    const a = (ev.target as HTMLElement).closest<HTMLAnchorElement>('a');
    // Plain clicks stay in the page (new tabs and windows get the link as it is).
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
    if (a.dataset.chapter) {
      ev.preventDefault();
      go(CHAPTERS.find((c) => c.id === a.dataset.chapter)!);
      q('#chapter-title').focus();
    } else if (a.classList.contains('open-explorer') && open) {
      ev.preventDefault();
      shell.navigate(explorerState(open.spec, shell.state));
    }
  });

  const close = () => {
    if (!open) return;
    open.chapter?.hide?.();
    open.chapter?.destroy?.();
    for (const stop of open.stops) stop();
    open = null;
  };

  const openChapter = async (spec: ChapterSpec) => {
    const t = ++ticket;
    close();
    const n = CHAPTERS.indexOf(spec);
    const state: Open = { spec, chapter: null, stops: [] };
    open = state;
    document.title = `${spec.title} · MF-NAS explorer`;
    q('.chapter-kicker').textContent = `Chapter ${n + 1} of ${CHAPTERS.length}`;
    q('#chapter-title').textContent = spec.title;
    q('#chapter-title').tabIndex = -1;
    el.dataset.chapter = spec.id;
    const prev = CHAPTERS[n - 1];
    const next = CHAPTERS[n + 1];
    q('.chapter-steps').innerHTML = `${prev ? `<a href="#" data-chapter="${prev.id}" rel="prev">← ${n}. ${escapeHtml(prev.title)}</a>` : '<span></span>'}${
      next ? `<a href="#" data-chapter="${next.id}" rel="next">${n + 2}. ${escapeHtml(next.title)} →</a>` : ''
    }`;
    text.replaceChildren();
    body.replaceChildren();
    text.innerHTML = '<p class="muted">Loading the chapter…</p>';
    showLinks();
    try {
      const mod = await spec.load();
      if (t !== ticket) return;
      text.replaceChildren();
      const ctx: ChapterContext = {
        shell,
        on<E extends ShellEvent>(event: E, listener: ShellEvents[E]) {
          state.stops.push(shell.on(event, listener));
        },
        prose: text,
        figure: body,
        ask: (target, spec) => {
          const question = new Question(target, spec);
          // Where the figure is out of sight (one column on phones), the answer offers the way to it.
          question.onRevealed = () => {
            if (body.getBoundingClientRect().top < window.innerHeight) return;
            const p = document.createElement('p');
            p.innerHTML = '<a href="#" class="to-figure">See it in the figure ↓</a>';
            p.querySelector('a')!.onclick = (ev) => {
              ev.preventDefault();
              body.scrollIntoView({ block: 'start', behavior: reducedMotion ? 'auto' : 'smooth' });
            };
            question.root.querySelector('.reveal')!.append(p);
          };
          return question;
        },
        reducedMotion,
      };
      state.chapter = timed(`mount chapter ${spec.id}`, () => mod.mount(ctx));
      if (visible) state.chapter.show();
    } catch (e) {
      if (t !== ticket) return;
      text.innerHTML = `<p class="warn">This chapter could not be loaded: ${escapeHtml((e as Error).message)}</p>`;
      shell.message('error', `The chapter "${spec.title}" could not be loaded: ${(e as Error).message}`, 'chapter');
    }
  };

  // Entering: a chapter named by the address keeps what the address says and gets the rest of
  // what its figure needs; the bare address (the landing page) enters the first chapter.
  const asked = shell.param(CHAPTER_PARAM);
  const spec = chapterOf(shell.state);
  if (asked !== null && asked !== spec.id) {
    shell.message('warning', `chapter=${asked} is not a chapter (${CHAPTERS.map((c) => c.id).join(', ')}); showing "${spec.title}".`, 'chapter');
  }
  const patch = missingSettings(spec, location.search);
  shell.set({ ...patch, extra: { ...shell.state.extra, ...(patch.extra ?? {}), [CHAPTER_PARAM]: spec.id } });

  shell.on('state', (s, changed) => {
    if (s.view !== 'chapters') return;
    if (changed.has(`extra.${CHAPTER_PARAM}`) || !open) {
      const next = chapterOf(s);
      if (next !== open?.spec) void openChapter(next);
    }
    showLinks();
  });
  void openChapter(spec);

  let shown = false;
  return {
    figure: q('.chapter-figure'),
    show() {
      // Back from the explorer: the chapter's figure gets its settings again.
      if (shown && open) shell.set(settingsPatch(open.spec, shell.state));
      shown = visible = true;
      // The play bar sits by the figure it plays.
      shell.dockRunbar(q('.chapter-runbar'));
      showLinks();
      open?.chapter?.show();
    },
    hide() {
      visible = false;
      shell.dockRunbar(null);
      open?.chapter?.hide?.();
    },
  };
}
