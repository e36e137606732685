/**
 * What lab, e2e and bench share, below all three: an HTTP client with a cookie jar, a closed-loop
 * load generator and the one percentile definition. It imports nothing of the project.
 */
export * from './cookie-jar';
export * from './http-client';
export * from './keep-alive-client';
export * from './closed-loop-load';
export * from './percentiles';
export * from './command-line';
