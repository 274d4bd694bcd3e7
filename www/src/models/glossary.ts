// Plain words for every label the explorer shows: a glossary entry per term (shown on hover
// and keyboard focus) and two wordings of each label, plain ("validation accuracy after 12
// epochs") and exact (`val_acc@12@hp12`). Words only: no number is computed here.

/** Which wording labels use. */
export type Words = 'plain' | 'exact';

export interface Term {
  /** The plain label. */
  plain: string;
  /** The exact label (column name, option value or the paper's symbol). */
  exact: string;
  /** One or two sentences a student can read alone. */
  text: string;
}

const t = (plain: string, exact: string, text: string): Term => ({ plain, exact, text });

/** Terms of the search, the landscape and the bracket, by key. */
export const TERMS: Record<string, Term> = {
  cell: t('cell', 'cell', 'One candidate network design in NAS-Bench-201: 4 nodes joined by 6 edges, each edge one of 5 operations. There are 5^6 = 15,625 cells.'),
  edge: t('edge', 'edge', 'A connection between two nodes of a cell. Every edge carries one operation; edges are numbered 0-5 in NAS-Bench-201 string order: 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.'),
  operation: t('operation', 'op', 'What an edge computes: none (cut the edge), skip (copy the input), 1×1 or 3×3 convolution, or 3×3 average pooling.'),
  neighbour: t('neighbour', '1-opt neighbour', 'A cell that differs from this one on exactly one edge. Every cell has 6 edges × 4 other operations = 24 neighbours.'),
  neighbourhood: t('neighbourhood', 'N(x)', 'All 24 neighbours of the current cell. Local search only ever looks at these.'),
  current: t('current cell', 'x', 'The cell local search stands on now. It moves only to a neighbour that scores at least as well.'),
  candidate: t('candidate', 'x′', 'The neighbour local search is trying in this step.'),
  accepted: t('accepted', 'accept', 'The candidate scored at least as well as the current cell (equal counts), so it became the current cell.'),
  rejected: t('rejected', 'reject', 'The candidate scored worse than the current cell, so the search stays and tries another neighbour.'),
  escape: t('escape', 'escape (2-opt)', 'No neighbour of a whole sweep was accepted: the current cell is a local optimum. The search jumps to a random cell two edges away and carries on from there, whatever its score.'),
  difference: t('difference', 'Δ = f(x′) − f(x)', 'The candidate’s score minus the current cell’s score, as the engine reported them. Accepted when it is 0 or more.'),
  objective: t('score the search sees', 'objective', 'The number the algorithm tries to make as large as possible. Losses are negated so that larger is always better.'),
  proxy: t('zero-cost proxy', 'zc proxy', 'A score computed from an untrained network in about a second (from its gradients, activations or size). Cheap, but only loosely related to how accurate the network becomes.'),
  'test accuracy': t('test accuracy', 'test_acc@200', 'Accuracy on held-out test images after full training (200 epochs). The search never sees it; we show it to judge the result.'),
  'local optimum': t('local optimum', 'local optimum', 'A cell none of whose 24 neighbours scores strictly better. Hill climbing stops there.'),
  'global optimum': t('global optimum', 'global optimum', 'The best-scoring cell of the whole space for this metric (there may be several with equal scores).'),
  'unscored optimum': t('optimum without a value', 'unscored optimum', 'A cell without a value whose neighbours have none either, so hill climbing cannot leave it. An artefact of missing data: the published proxy scores cover only part of the cells.'),
  basin: t('basin', 'basin of attraction', 'The cells from which best-improvement hill climbing ends at this local optimum.'),
  'basin size': t('basin size', 'basin size', 'How many of the 15,625 cells climb to this optimum.'),
  lon: t('local optima network', 'LON', 'A graph whose nodes are the local optima and whose edges count how often an escape (two edges changed) from one optimum leads, after climbing, to another.'),
  mlon: t('monotonic local optima network', 'MLON', 'The local optima network keeping only escapes that do not lead to a worse optimum.'),
  cmlon: t('compressed MLON', 'CMLON', 'The monotonic network with optima of equal score joined by an edge merged into one node.'),
  funnel: t('funnel', 'funnel', 'The optima from which improving escapes can lead to the same bottom (sink). A search that falls into a funnel tends to end at its bottom.'),
  'funnel share': t('share of optima in the best funnel', 'funnel share', 'The fraction of scored local optima from which a global optimum can be reached by escapes that never get worse.'),
  sink: t('funnel bottom', 'sink', 'An optimum with no escape to a strictly better one: a search in its funnel gets stuck here.'),
  'top 1%': t('best 1 % of cells', 'top 1 %', 'The best-scoring 1 % of the cells that have a test accuracy (156 of 15,625 in a full table). Fig. 3 of the paper compares a proxy’s top 1 % with test accuracy’s.'),
  spearman: t('rank agreement (Spearman)', 'Spearman ρ', 'How well the metric orders cells as test accuracy does: 1 = the same order, 0 = unrelated.'),
  kendall: t('pair agreement (Kendall)', 'Kendall τ', 'The share of pairs of cells the metric orders as test accuracy does, minus the share it orders the other way.'),
  rung: t('round of successive halving', 'rung', 'One round of successive halving: every survivor is trained to this round’s number of epochs and scored; the best go on.'),
  promoted: t('kept', 'promoted', 'Scored well enough in this round to be trained further in the next.'),
  pruned: t('dropped', 'pruned', 'Scored below the cut-off in this round; it is not trained any further.'),
  'cut-off': t('cut-off', 'cut-off', 'The score of the last candidate kept in a round: candidates below it are dropped.'),
  refunded: t('given back', 'refunded', 'An evaluation that would have crossed the budget is discarded and its cost given back, so the run stops within its budget (successive halving, as in the reference code).'),
  overrun: t('over budget', 'overrun', 'A run may end above its budget when the algorithm checks the budget only before a step (or between sweeps) and finishes that step.'),
  budget: t('budget', 'budget (s)', 'How much simulated training and scoring time a run may spend, in seconds of GPU time as the benchmark measured it.'),
  'simulated cost': t('simulated time spent', 'cost (s)', 'The seconds the benchmark says the evaluations so far would take: proxy compute time, or epochs × training time per epoch.'),
  epochs: t('epochs trained', 'epochs', 'Passes over the training data. Successive halving continues a network’s training from round to round, so only the extra epochs are charged.'),
  evaluations: t('evaluations', 'evals', 'How many cells have been scored (and charged) so far.'),
  seed: t('seed', 'seed', 'The number that fixes every random choice of a run: the same seed replays the same run.'),
  stage1: t('stage 1: search with the proxy', 'stage 1', 'MF-NAS first runs local search on the zero-cost proxy for M evaluations, which costs little.'),
  stage2: t('stage 2: train the best', 'stage 2', 'MF-NAS then trains the k best cells of stage 1 by successive halving and returns the winner.'),
  M: t('proxy evaluations in stage 1', 'M', 'How many cells MF-NAS stage 1 scores with the proxy (2,000 in the paper).'),
  k: t('candidates for stage 2', 'k', 'How many of the best distinct cells of stage 1 go on to training (32 in the paper).'),
  hp12: t('short 12-epoch schedule', 'hp12', 'NAS-Bench-201 trained every cell twice: a short run of 12 epochs (hp12) and a long one of 200. Validation accuracy after epoch 12 of the long run is not public, so we use the short run’s, charged as 12 epochs.'),
  fls: t('first-improvement local search', 'FLS', 'Tries neighbours in random order and moves to the first one that scores at least as well.'),
  bls: t('best-improvement local search', 'BLS', 'Sweeps all 24 neighbours, moving to any that scores at least as well as it goes.'),
  'best so far': t('best so far', 'best-so-far', 'The best score the run has seen up to this moment, by the score the algorithm itself uses.'),
  'answer so far': t('test accuracy of the answer so far', 'test acc of best-so-far', 'The test accuracy of the cell the run would return if it stopped now.'),
  rank: t('rank', 'rank', 'The cell’s place when all cells are sorted by this metric, best first. Colours use ranks so that a few huge values do not wash out the rest.'),
  'no value': t('no value', 'missing', 'The table has no value for this cell (published proxy scores cover only part of the cells). It ranks below every cell that has one.'),
  map: t('map of all cells', 'space map', 'All 15,625 cells on a 125 × 125 grid. Rows are set by the operations on edges 0→1, 0→2, 1→2 and columns by edges 0→3, 1→3, 2→3; each big block is one operation on that edge.'),
  'run b': t('second run', 'run B', 'A second algorithm or seed played to its end and drawn over the first, so the two can be compared on the same axes.'),
  words: t('plain words or exact names', 'words', 'Switches every label between plain words (“validation accuracy after 12 epochs”) and the exact column names (val_acc@12@hp12) used by the command line and the paper.'),
  dataset: t('benchmark table', 'dataset', 'Which NAS-Bench-201 table the numbers come from: the same 15,625 cells trained on CIFAR-10, CIFAR-100 or ImageNet16-120.'),
  algorithm: t('search algorithm', 'algo', 'How the next cell to score is chosen. Every algorithm gets the same simulated budget.'),
  ladder: t('training lengths per round', 'SH ladder', 'The epochs (fidelities) of successive halving’s rounds, e.g. 12 epochs (short schedule), then 200.'),
  keep: t('kept per round', 'survivors per rung', 'How many candidates each round of successive halving keeps for the next.'),
  'stage2 metric': t('score used in stage 2', 'stage-2 metric', 'What successive halving ranks the candidates by after training (validation accuracy by default).'),
  speed: t('playback speed', 'speed', 'How many evaluations per second the page plays; the numbers do not depend on it.'),
  'x axis': t('horizontal axis', 'x', 'Progress as simulated time spent or as the number of evaluations.'),
  step: t('one step', 'step', 'Runs exactly one more evaluation, so you can follow the search move by move.'),
  'to end': t('run to the end', 'finish', 'Runs the rest of the search at once.'),
  presentation: t('presentation mode', 'present', 'Large type and marks for a projector; the controls move out of the way.'),
  exploring: t('explore', 'explorer', 'Every setting is in the link: copy it to replay exactly this run.'),
};

const PROXIES: Record<string, string> = {
  synflow: 'the product of all weights’ magnitudes times their gradients, with all inputs set to one (data-free)',
  params: 'the number of trainable parameters',
  flops: 'the number of floating-point operations of one forward pass',
  nwot: 'how differently the untrained network’s ReLUs fire on different images (NASWOT)',
  snip: 'how much the loss would change if each weight were removed (SNIP)',
  grad_norm: 'the size of the loss gradient',
  fisher: 'the Fisher information of the activations',
  jacov: 'how correlated the input–output Jacobians of different images are',
  l2_norm: 'the size of the initial weights',
  epe_nas: 'how well per-class Jacobians separate the classes (EPE-NAS)',
  grasp: 'how removing weights would change the gradient flow (GraSP)',
  plain: 'the gradient times the weights, summed',
  zen: 'how much the output changes under small input noise, with batch-norm statistics (Zen-score)',
  freerea_synflow: 'FreeREA’s synflow',
  freerea_logsynflow: 'FreeREA’s logarithm of synflow',
  freerea_naswot: 'FreeREA’s NASWOT',
  freerea_nregions: 'FreeREA’s count of distinct linear regions',
};

const ROLES: Record<string, [string, string]> = {
  val_acc: ['validation accuracy', 'accuracy on the validation images, which the search may use'],
  train_acc: ['training accuracy', 'accuracy on the training images'],
  val_loss: ['validation loss', 'loss on the validation images (smaller is better)'],
  train_loss: ['training loss', 'loss on the training images (smaller is better)'],
  test_acc: ['test accuracy', 'accuracy on held-out test images, never shown to the search'],
  valtest_acc: ['validation+test accuracy', 'accuracy on the validation and test images together, as the reference code selects (it leaks test data)'],
};

/** The two wordings and the glossary text of a metric (column) name such as `val_acc@12@hp12` or `zc:synflow`. */
export function metricTerm(name: string): Term {
  if (name.startsWith('zc:')) {
    const p = name.slice(3);
    const what = PROXIES[p];
    return t(`${p.replace(/^freerea_/, 'FreeREA ').replace(/_/g, ' ')} proxy score`, name, `A zero-cost proxy${what ? `: ${what}` : ''}. Computed on the untrained network in about a second.`);
  }
  const [role, epochs, schedule] = name.split('@');
  const r = ROLES[role];
  if (!r) return t(name, name, `The table column ${name}.`);
  if (epochs === undefined) return t(r[0], name, `The ${r[1]}.`);
  const when = schedule === 'hp12' ? `after ${epochs} epochs (short schedule)` : schedule && schedule !== 'hp200' ? `after ${epochs} epochs (${schedule})` : `after ${epochs} epochs`;
  const hp12 = schedule === 'hp12' ? ' NAS-Bench-201’s separate 12-epoch training run (hp12), used where the paper says “12 epochs”.' : '';
  return t(`${r[0]} ${when}`, name, `The ${r[1]}, ${when}.${hp12}`);
}

/** The entry for `key`: a term of the glossary, else a metric name. */
export function lookup(key: string): Term {
  return TERMS[key] ?? metricTerm(key);
}

/** The label of `key` in the chosen wording. */
export function label(key: string, words: Words): string {
  const e = lookup(key);
  return words === 'plain' ? e.plain : e.exact;
}

/** Whether `key` has its own glossary entry (terms) or is read as a metric name. */
export function isTerm(key: string): boolean {
  return key in TERMS;
}

/** Glossary entries of the options of the page's menus, by menu name and option value. */
const OPTIONS: Record<string, Record<string, Term>> = {
  dataset: {
    cifar10: t('CIFAR-10', 'cifar10', '60,000 small colour images of 10 classes; NAS-Bench-201 trained every cell on it.'),
    cifar100: t('CIFAR-100', 'cifar100', 'The same images in 100 finer classes: a harder task.'),
    'ImageNet16-120': t('ImageNet 16×16, 120 classes', 'ImageNet16-120', 'A down-sampled ImageNet: 120 classes at 16×16 pixels.'),
    'cifar10-curves200': t('CIFAR-10, 200 cells with full learning curves', 'cifar10-curves200', 'The one public sample with validation accuracy at every epoch, so the paper’s 12/25/50/100/200-epoch ladder runs on it.'),
    synthetic: t('made-up numbers', 'synthetic', 'A synthetic table with the shape of NAS-Bench-201, for demos and tests: its numbers are not real.'),
  },
  algo: {
    rs: t('random search', 'RS', 'Scores random cells and keeps the best.'),
    ls: t('local search', 'LS (FLS)', 'First-improvement hill climbing with escapes, on validation accuracy after 12 epochs.'),
    bls: t('best-improvement local search', 'BLS', 'Hill climbing that sweeps all neighbours before deciding.'),
    sh: t('successive halving', 'SH', 'Trains many random cells briefly, keeps the best, trains them longer.'),
    rea: t('regularised evolution', 'REA', 'Evolves a population: mutates the winner of a small tournament, removes the oldest.'),
    'rea-w': t('evolution with a warm start', 'REA+W', 'REA whose first population is the best cells by a zero-cost proxy.'),
    'free-rea': t('FreeREA', 'FreeREA', 'Evolution on zero-cost proxies only: trains nothing.'),
    'mf-nas': t('MF-NAS', 'MF-NAS', 'Stage 1: local search on a zero-cost proxy. Stage 2: successive halving of its best cells with real training scores.'),
  },
  stage1: { fls: TERMS.fls, bls: TERMS.bls, rs: t('random search', 'RS', 'Stage 1 scores random cells with the proxy instead of climbing.') },
  stage2: {
    val_acc: metricTerm('val_acc'),
    train_loss: metricTerm('train_loss'),
    val_loss: metricTerm('val_loss'),
    val_test_acc: metricTerm('valtest_acc'),
  },
  x: {
    cost: TERMS['simulated cost'],
    evals: TERMS.evaluations,
  },
  kind: { lon: TERMS.lon, mlon: TERMS.mlon, cmlon: TERMS.cmlon },
};

/** The entry of option `value` of the menu called `name`, if the glossary has one. */
export function optionTerm(name: string, value: string): Term | null {
  if (name === 'zc') return metricTerm(`zc:${value}`);
  if (name === 'metric' || name === 'metric2') return metricTerm(value);
  return OPTIONS[name]?.[value] ?? null;
}
