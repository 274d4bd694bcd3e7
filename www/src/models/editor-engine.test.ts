// The cell editor's data from the real engine (wasm, built by wasm-pack into ../pkg), in Node:
// an edit in the page's model names the cell the engine parses, and the engine's cell
// landscape agrees with its own space map (optimum, rank, basin) and with its neighbours.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSync, Session } from '../../../pkg/mfnas.js';
import type { ArchInfo, CellLandscape, SpaceMap } from '../types';
import { OPS, archStringOf, changedEdges, opsOf, withOp } from './editor';

let session: Session;

beforeAll(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/mfnas_bg.wasm', import.meta.url)) });
  session = new Session();
  session.loadSyntheticTable(3);
});

const cell = (id: number, metric = 'val_acc@200') => session.cellLandscape(id, metric) as CellLandscape;

describe('the cell editor on the engine', () => {
  it('every edit the page makes is the neighbour the engine lists for that edge and operation', () => {
    for (const id of [0, 1601, 9930, 15_624]) {
      const c = cell(id);
      const ops = opsOf((session.arch(id) as ArchInfo).arch_string)!;
      for (let p = 0; p < 6; p++) {
        for (const op of OPS.filter((o) => o !== ops[p])) {
          const edited = session.parseArch(archStringOf(withOp(ops, p, op)));
          const n = c.neighbours.find((x) => x.position === p && x.op === op);
          expect(n?.cell.id).toBe(edited);
        }
      }
    }
  });

  it('the optimum, rank and basin are those of the engine’s space map', () => {
    const map = session.spaceMap('val_acc@200') as SpaceMap;
    for (const id of [3, 777, 4242, 12_000]) {
      const c = cell(id);
      const at = map.ids.indexOf(id);
      expect(c.cell.rank ?? null).toBe(map.rank[at] ?? null);
      const optimumCell = map.optimum[at];
      expect(c.optimum.cell.id).toBe(map.ids[optimumCell]);
      expect(c.optimum.basin_size).toBe(map.optimum.filter((o) => o === optimumCell).length);
      // Each step of the climb changes one edge and ends at the optimum.
      for (let i = 1; i < c.climb.length; i++) {
        expect(changedEdges(opsOf(c.climb[i - 1].arch_string)!, opsOf(c.climb[i].arch_string)!)).toHaveLength(1);
      }
      expect(c.climb[c.climb.length - 1].id).toBe(c.optimum.cell.id);
    }
  });

  it('an unknown cell or metric is an error that says what to give', () => {
    expect(() => cell(15_625)).toThrow(/0..=15624/);
    expect(() => cell(1, 'nope')).toThrow(/val_acc/);
  });
});
