import type { IConstruct } from 'constructs';

/**
 * A construct was given props it cannot honour. The message starts with the construct's path, so the
 * user sees which construct in which stack refused what.
 */
export class PatternConstructError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`[${scope.node.path}] ${message}`);
    this.name = 'PatternConstructError';
  }
}
