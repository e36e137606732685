/**
 * How the runtime reads one section of its environment: every variable through its field schema
 * (`schemas.ts`), every problem collected (`config-problems.ts`) and thrown together as one
 * ConfigurationError, so that a cold start names everything that is wrong at once.
 */
import { ConfigProblems } from './config-problems';
import { configText, secretArn, type TextField } from './schemas';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid runtime configuration:\n - ${problems.join('\n - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Where a secret comes from: Secrets Manager on AWS, a plain value in local runs and tests. */
export type SecretSource =
  | { readonly kind: 'secretsManager'; readonly arn: string; readonly jsonField?: string }
  | { readonly kind: 'value'; readonly value: string };

/** Reads one section of the environment: each variable through its field schema, every problem kept. */
export class EnvSection {
  readonly problems = new ConfigProblems();
  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    return configText(this.env[name]);
  }

  field<T>(name: string, schema: TextField<T>): T {
    // On a problem the value is not used: `finish` throws.
    return this.problems.field(name, schema, this.raw(name)) as T;
  }

  /** A secret given either as a Secrets Manager ARN or, for local runs, as a plain value (when `valueName` is given). */
  secret(arnName: string, valueName: string | undefined, jsonField?: string): SecretSource | undefined {
    const arn = this.raw(arnName);
    const value = valueName === undefined ? undefined : this.raw(valueName);
    if (arn !== undefined && value !== undefined) {
      // The plain value is a secret: never echoed.
      this.problems.add(arnName, arn, `no ARN when ${valueName} is set (one source per secret)`);
    }
    if (arn !== undefined) {
      this.field(arnName, secretArn());
      return { kind: 'secretsManager', arn, jsonField };
    }
    return value === undefined ? undefined : { kind: 'value', value };
  }

  finish<T>(result: T): T {
    this.problems.throwIfAny((problems) => new ConfigurationError(problems));
    return result;
  }
}

