/**
 * sessions-instance-loss: with sessions in an instance's memory, sticky routing keeps each user on
 * "their" instance, and killing that instance loses their sessions; sessions in Redis or in a
 * signed cookie survive because any instance can serve them. Per strategy: 3 instances behind
 * HAProxy, simulated users (each its own cookie jar) build up a session, then one instance is
 * SIGKILLed while they keep visiting. A session is lost when a user's visit count starts over or its
 * visitor tag changes (bodies never carry the session id: that stays in the HttpOnly cookie).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ENV } from '../../lambdas/config/env-names';
import { sleep, startAppInstances, startHaproxy, startRedis, type AppInstance, type Haproxy } from '../../harness';
import type { ChartSpec, Experiment, ExperimentContext, ExperimentResult } from '../experiment';
import { HttpClient, summarize } from '../../toolkit';
import type { SessionStoreKind } from '../../lambdas/config/vocabulary';

type Strategy = SessionStoreKind;

interface Sizes {
  readonly users: number;
  /** Visits per user before the kill. */
  readonly visitsBefore: number;
  /** Users visiting at the same time. */
  readonly workers: number;
  /** Traffic runs this long before the kill ... */
  readonly killAfterMs: number;
  /** ... and at least this long after it (and until HAProxy has marked the instance DOWN). */
  readonly afterKillMs: number;
  /** Pause between two visits of one worker. */
  readonly thinkMs: number;
}

const QUICK: Sizes = { users: 30, visitsBefore: 3, workers: 6, killAfterMs: 300, afterKillMs: 1500, thinkMs: 20 };
const FULL: Sizes = { users: 150, visitsBefore: 5, workers: 8, killAfterMs: 1000, afterKillMs: 3000, thinkMs: 20 };
const INSTANCES = 3;
/** Latency "right after the kill": requests started within this window. */
const SPIKE_WINDOW_MS = 1500;

/** What a user's client knows of its session. */
export interface SessionTrack {
  readonly visits: number;
  /** The random tag the server gave the session when it was created. */
  readonly visitorTag?: string;
}

/** The part of a `GET /session` answer this experiment reads. */
export interface SessionAnswer {
  readonly isNew: boolean;
  readonly visits: number;
  readonly visitorTag?: string;
}

/** A user who had a session lost it when the answer is a new session, a new visitor tag, or a count that went back. */
export function sessionWasLost(before: SessionTrack, answer: SessionAnswer): boolean {
  if (before.visits === 0) return false; // no session yet: nothing to lose
  const newTag = before.visitorTag !== undefined && answer.visitorTag !== before.visitorTag;
  return answer.isNew || newTag || answer.visits <= before.visits;
}

export interface StrategyOutcome {
  readonly strategy: Strategy;
  readonly sticky: boolean;
  readonly sessionsBefore: number;
  readonly sessionsLost: number;
  /** Users whose last visit before the kill was served by the killed instance. */
  readonly usersOnKilledInstance: number;
  /** Errors and 5xx answers from the kill on. */
  readonly failedRequests: number;
  readonly requestsAfterKill: number;
  readonly p50BeforeMs: number;
  readonly p99AfterKillMs: number;
  readonly maxAfterKillMs: number;
  /** How long HAProxy took to mark the killed instance DOWN. */
  readonly markedDownAfterMs: number;
}

/** Holds when memory lost at least one session, Redis and cookie none, and every user had a session before. */
export function judgeSessionsInstanceLoss(outcomes: readonly StrategyOutcome[], users: number): { holds: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const of = (strategy: Strategy) => outcomes.find((o) => o.strategy === strategy);
  for (const strategy of ['memory', 'redis', 'cookie'] satisfies readonly Strategy[]) {
    const outcome = of(strategy);
    if (outcome === undefined) reasons.push(`${strategy}: not measured`);
    else if (outcome.sessionsBefore !== users) reasons.push(`${strategy}: ${outcome.sessionsBefore}/${users} sessions before the kill`);
  }
  if ((of('memory')?.sessionsLost ?? 0) < 1) reasons.push('memory: no session lost');
  for (const strategy of ['redis', 'cookie'] satisfies readonly Strategy[]) {
    const lost = of(strategy)?.sessionsLost ?? 0;
    if (lost > 0) reasons.push(`${strategy}: ${lost} session(s) lost`);
  }
  return { holds: reasons.length === 0, reasons };
}

class SimulatedUser {
  private track: SessionTrack = { visits: 0 };
  lost = false;
  lastServedBy: string | undefined;
  readonly client: HttpClient;

  constructor(baseUrl: string) {
    this.client = new HttpClient(baseUrl, 5000);
  }

  get hasSession(): boolean {
    return this.track.visits > 0;
  }

  /** One `GET /session`; never throws (a failure is part of the measurement). */
  async visit(): Promise<{ ok: boolean; startedAt: number; ms: number }> {
    const startedAt = performance.now();
    try {
      const response = await this.client.get<SessionAnswer>('/session');
      if (response.status !== 200) return { ok: false, startedAt, ms: response.ms };
      if (sessionWasLost(this.track, response.body)) this.lost = true;
      this.track = { visits: response.body.visits, visitorTag: response.body.visitorTag };
      this.lastServedBy = response.servedBy;
      return { ok: true, startedAt, ms: response.ms };
    } catch {
      return { ok: false, startedAt, ms: performance.now() - startedAt };
    }
  }
}

type Visit = Awaited<ReturnType<SimulatedUser['visit']>>;

/** Every user visits `rounds` times, `workers` users at a time. */
async function visitRounds(users: readonly SimulatedUser[], rounds: number, workers: number): Promise<Visit[]> {
  const visits: Visit[] = [];
  let next = 0;
  const total = users.length * rounds;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) visits.push(await users[next++ % users.length].visit());
    }),
  );
  return visits;
}

/** Users keep visiting while `victim` is SIGKILLed; returns the visits and the kill's timings. */
async function killDuringTraffic(users: readonly SimulatedUser[], lb: Haproxy, victim: AppInstance, sizes: Sizes) {
  const visits: Visit[] = [];
  let endAt = Infinity;
  let next = 0;
  const traffic = Promise.all(
    Array.from({ length: sizes.workers }, async () => {
      while (performance.now() < endAt) {
        visits.push(await users[next++ % users.length].visit());
        await sleep(sizes.thinkMs);
      }
    }),
  );
  await sleep(sizes.killAfterMs);
  const killedAt = performance.now();
  await victim.kill();
  let markedDownAfterMs = -1;
  try {
    await lb.waitForServerStatus('DOWN', [victim.name], 10_000);
    markedDownAfterMs = Math.round(performance.now() - killedAt);
  } finally {
    endAt = Math.max(killedAt + sizes.afterKillMs, performance.now() + 200);
    await traffic;
  }
  return { visits, killedAt, markedDownAfterMs };
}

async function runStrategy(
  ctx: ExperimentContext,
  strategy: Strategy,
  sticky: boolean,
  env: Record<string, string>,
  sizes: Sizes,
): Promise<StrategyOutcome> {
  ctx.progress(`${strategy}: starting ${INSTANCES} instances behind HAProxy (stickiness ${sticky ? 'on' : 'off'})`);
  const apps = await startAppInstances({ count: INSTANCES, namePrefix: strategy, env: { [ENV.sessionStore]: strategy, ...env } });
  const stopApps = () => Promise.all(apps.map((a) => a.stop()));
  ctx.defer(stopApps);
  const lb = await startHaproxy({ backends: apps, sticky });
  ctx.defer(() => lb.stop());

  const users = Array.from({ length: sizes.users }, () => new SimulatedUser(lb.url));
  const before = await visitRounds(users, sizes.visitsBefore, sizes.workers);
  const victim = apps[0];
  const usersOnKilledInstance = users.filter((u) => u.lastServedBy === victim.name).length;
  const sessionsBefore = users.filter((u) => u.hasSession && !u.lost).length;
  ctx.progress(`${strategy}: ${sessionsBefore} sessions after ${sizes.visitsBefore} visits each; SIGKILL ${victim.name} while users keep visiting`);
  const kill = await killDuringTraffic(users, lb, victim, sizes);
  const sweep = await visitRounds(users, 1, sizes.workers); // every user comes back once more
  const after = [...kill.visits.filter((v) => v.startedAt >= kill.killedAt), ...sweep];
  const spike = summarize(after.filter((v) => v.startedAt - kill.killedAt <= SPIKE_WINDOW_MS).map((v) => v.ms));
  const outcome: StrategyOutcome = {
    strategy,
    sticky,
    sessionsBefore,
    sessionsLost: users.filter((u) => u.lost).length,
    usersOnKilledInstance,
    failedRequests: after.filter((v) => !v.ok).length,
    requestsAfterKill: after.length,
    p50BeforeMs: summarize(before.filter((v) => v.ok).map((v) => v.ms)).p50,
    p99AfterKillMs: spike.p99,
    maxAfterKillMs: spike.max,
    markedDownAfterMs: kill.markedDownAfterMs,
  };
  ctx.progress(
    `${strategy}: ${outcome.sessionsLost} of ${sessionsBefore} sessions lost, ${outcome.failedRequests} failed requests, ` +
      `max latency after the kill ${outcome.maxAfterKillMs} ms (p50 before ${outcome.p50BeforeMs} ms)`,
  );
  await lb.stop();
  await stopApps();
  return outcome;
}

function charts(outcomes: readonly StrategyOutcome[]): ChartSpec[] {
  const label = (o: StrategyOutcome) => `${o.strategy}${o.sticky ? ' + sticky' : ''}`;
  return [
    {
      id: 'sessions-lost',
      title: `Sessions lost when 1 of ${INSTANCES} instances is killed`,
      kind: 'bar',
      unit: 'sessions',
      xLabel: 'session strategy',
      series: [
        { name: 'sessions before the kill', points: outcomes.map((o) => ({ x: label(o), y: o.sessionsBefore })) },
        { name: 'sessions lost', points: outcomes.map((o) => ({ x: label(o), y: o.sessionsLost })) },
      ],
    },
    {
      id: 'latency',
      title: 'GET /session latency before and right after the kill',
      kind: 'bar',
      unit: 'ms',
      xLabel: 'session strategy',
      series: [
        { name: 'p50 before', points: outcomes.map((o) => ({ x: label(o), y: o.p50BeforeMs })) },
        { name: `p99 in the ${SPIKE_WINDOW_MS} ms after`, points: outcomes.map((o) => ({ x: label(o), y: o.p99AfterKillMs })) },
        { name: 'max after', points: outcomes.map((o) => ({ x: label(o), y: o.maxAfterKillMs })) },
      ],
    },
  ];
}

export const sessionsInstanceLossExperiment: Experiment = {
  id: 'sessions-instance-loss',
  title: 'Sticky sessions versus shared session state when an instance dies',
  claim: "With in-memory sessions and sticky routing, killing an instance loses its users' sessions; Redis and cookie sessions lose none.",
  async run(ctx: ExperimentContext): Promise<ExperimentResult> {
    const sizes = ctx.quick ? QUICK : FULL;
    ctx.progress('starting Redis');
    const redis = await startRedis();
    ctx.defer(() => redis.stop());
    const plans: Array<[Strategy, boolean, Record<string, string>]> = [
      ['memory', true, {}],
      ['redis', false, redis.appEnv()],
      ['cookie', false, { [ENV.sessionSigningKey]: randomBytes(32).toString('base64url') }],
    ];
    const outcomes: StrategyOutcome[] = [];
    for (const [strategy, sticky, env] of plans) outcomes.push(await runStrategy(ctx, strategy, sticky, env, sizes));

    const verdict = judgeSessionsInstanceLoss(outcomes, sizes.users);
    const by = <T>(pick: (o: StrategyOutcome) => T) => Object.fromEntries(outcomes.map((o) => [o.strategy, pick(o)]));
    const [memory, shared, cookie] = outcomes; // in the order of `plans`
    return {
      figures: {
        sessionsLost: by((o) => o.sessionsLost),
        sessionsBefore: by((o) => o.sessionsBefore),
        // Only meaningful with stickiness: who was pinned to the instance that died.
        memoryUsersPinnedToKilledInstance: memory.usersOnKilledInstance,
        failedRequests: by((o) => o.failedRequests),
        requestsAfterKill: by((o) => o.requestsAfterKill),
        latencyMs: by((o) => ({ p50Before: o.p50BeforeMs, p99AfterKill: o.p99AfterKillMs, maxAfterKill: o.maxAfterKillMs })),
        markedDownAfterMs: by((o) => o.markedDownAfterMs),
        sticky: by((o) => o.sticky),
        setup: { instances: INSTANCES, users: sizes.users, visitsBefore: sizes.visitsBefore, concurrentUsers: sizes.workers, killAfterMs: sizes.killAfterMs },
      },
      holds: verdict.holds,
      details:
        `Per strategy, ${INSTANCES} container-server instances behind HAProxy (memory with SERVERID stickiness; redis and ` +
        `cookie with stickiness off, so any instance serves any request). ${sizes.users} simulated users (own cookie jars) ` +
        `visited GET /session ${sizes.visitsBefore} times each, then one instance was SIGKILLed while ${sizes.workers} of ` +
        `them kept visiting, and every user came back once more. Memory lost ${memory.sessionsLost} of ` +
        `${memory.sessionsBefore} sessions (${memory.usersOnKilledInstance} users were pinned to the killed instance), ` +
        `redis lost ${shared.sessionsLost}, cookie lost ${cookie.sessionsLost}. Requests failed from the kill on: ` +
        `${outcomes.map((o) => `${o.strategy} ${o.failedRequests}`).join(', ')} (a request in flight on the killed instance ` +
        `gets a 502; refused connections are retried on another instance, and HAProxy marked the instance DOWN after ` +
        `${outcomes.map((o) => o.markedDownAfterMs).join('/')} ms). Worst latency in the ${SPIKE_WINDOW_MS} ms after the kill: ` +
        `${outcomes.map((o) => `${o.strategy} ${o.maxAfterKillMs} ms (p50 before ${o.p50BeforeMs} ms)`).join(', ')}` +
        (verdict.reasons.length === 0 ? '.' : `. It did not hold: ${verdict.reasons.join('; ')}.`),
      charts: charts(outcomes),
    };
  },
};
