import { EXPERIMENT_IDS } from '../../lab/experiment';
import { EXPERIMENTS } from '../../lab/experiments';

describe('lab registry', () => {
  it('lists every experiment once, in the order of EXPERIMENT_IDS', () => {
    // Act / Assess
    expect(EXPERIMENTS.map((e) => e.id)).toEqual([...EXPERIMENT_IDS]);
  });

  it('gives every experiment a title, a one-sentence claim and a run function', () => {
    // Act
    const problems = EXPERIMENTS.filter((e) => e.title.trim() === '' || !/^[A-Z].*\.$/.test(e.claim) || typeof e.run !== 'function');
    // Assess
    expect(problems.map((e) => e.id)).toEqual([]);
  });
});
