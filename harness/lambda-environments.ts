/**
 * Execution environments of one Lambda function, as the Lambda service keeps them: each serves one
 * invocation at a time; an invocation takes an idle environment (warm) or, when all are busy,
 * starts a new one (cold start: a new worker thread that loads the handler bundle fresh, with its
 * own `process.env`, running its INIT code before the first invocation); an environment whose
 * handler crashed is discarded.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ALBResult } from 'aws-lambda';

/**
 * The worker's code: the runtime's part of Lambda. Loads the bundle (INIT), then invokes
 * `handler(event, context)` once per message. The context is rebuilt here: functions do not cross threads.
 */
const RUNTIME = `
const { parentPort, workerData } = require('node:worker_threads');
const { handler } = require(workerData.bundle);
parentPort.on('message', async ({ event, context }) => {
  const deadline = Date.now() + context.timeoutMs;
  const never = () => { throw new Error('deprecated Lambda context callbacks are not used'); };
  const ctx = { ...context, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()), done: never, fail: never, succeed: never };
  try {
    parentPort.postMessage({ ok: true, result: await handler(event, ctx) });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.stack) || error) });
  }
});
`;

export interface FunctionEnvironmentsOptions {
  /** Function name (the context's `functionName`). */
  readonly name: string;
  readonly bundle: string;
  /** `process.env` of the environment numbered `n` (1, 2, ...). */
  readonly env: (n: number) => Record<string, string>;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Called once per cold start, with the time from the worker's start to its first answer. */
  readonly onColdStart?: (environment: string, initAndInvokeMs: number) => void;
}

interface Outcome {
  readonly ok: boolean;
  readonly result?: ALBResult;
  readonly error?: string;
}

class Environment {
  private readonly worker: Worker;
  /** The one invocation in flight (Lambda's rule: one at a time per environment). */
  private pending: ((outcome: Outcome) => void) | undefined;
  alive = true;
  invocations = 0;

  constructor(
    readonly id: string,
    bundle: string,
    env: Record<string, string>,
  ) {
    this.worker = new Worker(RUNTIME, { eval: true, workerData: { bundle }, env, stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on('message', (outcome: Outcome) => this.settle(outcome));
    this.worker.on('error', (error) => this.fail(`the handler crashed: ${error.stack ?? error.message}`));
    this.worker.on('exit', (code) => this.fail(`the environment exited (code ${code})`));
  }

  invoke(event: unknown, context: Record<string, unknown>): Promise<Outcome> {
    if (this.pending !== undefined) throw new Error(`environment ${this.id} is busy`);
    if (!this.alive) return Promise.resolve({ ok: false, error: `environment ${this.id} is gone` });
    this.invocations += 1;
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage({ event, context });
    });
  }

  async terminate(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private settle(outcome: Outcome): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(outcome);
  }

  private fail(error: string): void {
    this.alive = false;
    this.settle({ ok: false, error });
  }
}

export class FunctionEnvironments {
  private readonly idle: Environment[] = [];
  private readonly all = new Set<Environment>();
  private started = 0;

  constructor(private readonly options: FunctionEnvironmentsOptions) {}

  /** Invokes the function with `event` in an idle environment, or a new one when none is idle. */
  async invoke(event: unknown): Promise<Outcome> {
    let warm = this.idle.pop();
    // An idle environment whose worker died meanwhile (a crash outside an invocation) is dropped.
    while (warm !== undefined && !warm.alive) {
      this.all.delete(warm);
      warm = this.idle.pop();
    }
    const environment = warm ?? this.coldStart();
    const began = Date.now();
    const context = {
      functionName: this.options.name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${this.options.name}`,
      memoryLimitInMB: '256',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${this.options.name}`,
      logStreamName: environment.id,
      callbackWaitsForEmptyEventLoop: true,
      timeoutMs: this.options.timeoutMs ?? 30_000,
    };
    try {
      return await environment.invoke(event, context);
    } finally {
      if (warm === undefined) this.options.onColdStart?.(environment.id, Date.now() - began);
      if (environment.alive) this.idle.push(environment);
      else this.all.delete(environment);
    }
  }

  /** Environments started so far (each one a cold start) and those alive now. */
  counts(): { readonly coldStarts: number; readonly environments: number } {
    return { coldStarts: this.started, environments: this.all.size };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.all].map((e) => e.terminate()));
    this.all.clear();
    this.idle.splice(0);
  }

  private coldStart(): Environment {
    this.started += 1;
    const env = this.options.env(this.started);
    const environment = new Environment(`${this.options.name}/${this.started}`, this.options.bundle, env);
    this.all.add(environment);
    return environment;
  }
}
