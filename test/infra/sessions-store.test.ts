/**
 * The sessions pattern's store choice at synth time: in-memory sessions are warned about, on the
 * Lambda tier (per execution environment) and without stickiness (lost between instances).
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { synthPatterns } from '../support/synth-patterns';

describe('sessions: the session store at synth time', () => {
  it('warns at synth time that in-memory sessions cannot work on the Lambda tier', () => {
    const synthesized = synthPatterns({ sessionStore: 'memory', sticky: 'lb' });
    Annotations.fromStack(synthesized.stacks.stateless).hasWarning(
      '/Patterns-Stateless/LambdaTier',
      Match.stringLikeRegexp('sessionStore=memory: the Lambda tier keeps sessions per execution environment'),
    );
  });

  it('turns configuration warnings into synth-time warnings', () => {
    const synthesized = synthPatterns({ sessionStore: 'memory' });
    Annotations.fromStack(synthesized.stacks.stateless).hasWarning(
      '/Patterns-Stateless',
      Match.stringLikeRegexp('sessions will be lost between instances'),
    );
  });
});
