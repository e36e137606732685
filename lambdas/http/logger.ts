import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per process (Powertools: JSON lines, level from POWERTOOLS_LOG_LEVEL). */
export const logger = new Logger({ serviceName: 'scalability-patterns' });
