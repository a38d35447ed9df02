import { describe, expect, it } from 'vitest';
import { chooseSubset, type ScoredSubset } from './calibration-choice.js';

const row = (members: string[], road: number, pointingGame?: number): ScoredSubset => ({ members, road, pointingGame });

describe('chooseSubset', () => {
  it.each<[string, ScoredSubset[], 'pointingGame' | 'road', number]>([
    ['the best pointing game wins over a better ROAD', [row(['a'], 0.4, 0.8), row(['b'], 0.1, 0.9)], 'pointingGame', 1],
    ['a pointing-game tie goes to the higher ROAD', [row(['a'], 0.1, 0.9), row(['b'], 0.3, 0.9), row(['c'], 0.2, 0.9)], 'pointingGame', 1],
    ['a tie on both goes to the fewer members', [row(['a', 'b'], 0.3, 0.9), row(['c'], 0.3, 0.9)], 'pointingGame', 1],
    ['a full tie keeps the first', [row(['a'], 0.3, 0.9), row(['c'], 0.3, 0.9)], 'pointingGame', 0],
    ['without ground truth ROAD decides', [row(['a'], 0.2), row(['b'], 0.25), row(['c', 'd'], 0.25)], 'road', 1],
  ])('%s', (_name, rows, primary, want) => {
    expect(chooseSubset(rows, primary)).toBe(want);
  });

  it('no rows is E_ARG; a missing primary score is E_INTERNAL', () => {
    expect(() => chooseSubset([], 'road')).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => chooseSubset([row(['a'], 0.1)], 'pointingGame')).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });
});
