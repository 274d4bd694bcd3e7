// The views of the page, in tab order. To add one, add an entry (see types.ts for the module's
// shape); the shell makes its tab and panel and loads the module when the view is first opened.
import type { ViewSpec } from './types';
import { CHAPTERS_VIEW, CHAPTER_PARAM, chapterOf } from '../chapters/list';

export const REGISTRY: readonly ViewSpec[] = [
  {
    id: CHAPTERS_VIEW,
    label: 'Chapters',
    params: [CHAPTER_PARAM],
    usesRun: (s) => chapterOf(s).usesRun,
    settings: false,
    load: () => import('../chapters/mount'),
  },
  { id: 'run', label: 'Run', usesRun: true, params: ['vs', 'vs_seed'], load: () => import('../mounts/run') },
  { id: 'landscape', label: 'Landscape', usesRun: true, params: ['vs', 'vs_seed', 'metric2'], load: () => import('../mounts/landscape') },
  { id: 'experiment', label: 'Experiment', params: ['paper', 'paper_runs'], load: () => import('../mounts/experiment') },
  { id: 'cell', label: 'Cell editor', params: ['cell'], load: () => import('../mounts/editor') },
];

/** The view of the bare address (the landing page): the first chapter. */
export const LANDING_VIEW = CHAPTERS_VIEW;

/** Every URL parameter that a registered view owns. */
export function viewParams(registry: readonly ViewSpec[] = REGISTRY): string[] {
  return [...new Set(registry.flatMap((v) => v.params ?? []))];
}
