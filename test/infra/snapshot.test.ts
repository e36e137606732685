import { normalizeTemplate, synthPatterns } from '../support/synth-patterns';

describe('stack snapshots (default configuration)', () => {
  const synthesized = synthPatterns();
  const names = ['network', 'data', 'globalTable', 'stateless', ...synthesized.stacks.regional.map((s) => `regional:${s.region}`)] as const;

  it.each(names)('%s matches its snapshot', (name) => {
    expect(normalizeTemplate(synthesized.template(name as never).toJSON())).toMatchSnapshot();
  });
});
