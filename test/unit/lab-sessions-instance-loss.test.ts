import { judgeSessionsInstanceLoss, sessionWasLost, type StrategyOutcome } from '../../lab/experiments/sessions-instance-loss';

function outcome(strategy: StrategyOutcome['strategy'], sessionsLost: number, sessionsBefore = 30): StrategyOutcome {
  return {
    strategy,
    sticky: strategy === 'memory',
    sessionsBefore,
    sessionsLost,
    usersOnKilledInstance: 10,
    failedRequests: 0,
    requestsAfterKill: 100,
    p50BeforeMs: 5,
    p99AfterKillMs: 9,
    maxAfterKillMs: 12,
    markedDownAfterMs: 600,
  };
}

describe('sessionWasLost', () => {
  it('sees a continued session as kept, even when a lost response skipped a count', () => {
    // Act / Assess
    expect(sessionWasLost({ visits: 3, visitorTag: 'a' }, { isNew: false, visits: 4, visitorTag: 'a' })).toBe(false);
    expect(sessionWasLost({ visits: 3 }, { isNew: false, visits: 5 })).toBe(false);
  });

  it('sees a new session, a new visitor tag or a count that went back as lost', () => {
    // Act / Assess
    expect(sessionWasLost({ visits: 3, visitorTag: 'a' }, { isNew: true, visits: 1, visitorTag: 'b' })).toBe(true);
    expect(sessionWasLost({ visits: 3, visitorTag: 'a' }, { isNew: false, visits: 4, visitorTag: 'b' })).toBe(true);
    expect(sessionWasLost({ visits: 3 }, { isNew: false, visits: 2 })).toBe(true);
  });

  it('loses nothing on a first visit', () => {
    // Act / Assess
    expect(sessionWasLost({ visits: 0 }, { isNew: true, visits: 1, visitorTag: 'a' })).toBe(false);
  });
});

describe('judgeSessionsInstanceLoss', () => {
  it('holds when memory lost sessions and Redis and cookie lost none', () => {
    // Act / Assess
    expect(judgeSessionsInstanceLoss([outcome('memory', 10), outcome('redis', 0), outcome('cookie', 0)], 30)).toEqual({ holds: true, reasons: [] });
  });

  it('does not hold when memory lost nothing or a shared strategy lost something', () => {
    // Act
    const verdict = judgeSessionsInstanceLoss([outcome('memory', 0), outcome('redis', 2), outcome('cookie', 0)], 30);
    // Assess
    expect(verdict).toEqual({ holds: false, reasons: ['memory: no session lost', 'redis: 2 session(s) lost'] });
  });

  it('does not hold when users had no session before the kill or a strategy was not measured', () => {
    // Act
    const verdict = judgeSessionsInstanceLoss([outcome('memory', 5, 28), outcome('redis', 0)], 30);
    // Assess
    expect(verdict).toEqual({ holds: false, reasons: ['memory: 28/30 sessions before the kill', 'cookie: not measured'] });
  });
});
