/**
 * The local-engine harness: real PostgreSQL, Redis, HAProxy, DynamoDB (dynalite) and app
 * processes on 127.0.0.1, shared by the integration tests and the lab. See harness/README.md.
 */
export * from './ports';
export * from './processes';
export * from './workspace';
export * from './http-probe';
export * from './postgres-cluster';
export { parseLsn, pgBinDir, pgQuery } from './postgres-node';
export * from './redis-engine';
export * from './haproxy';
export * from './pgbouncer';
export * from './local-secret-store';
export * from './secret-rotation';
export * from './self-signed-cert';
export * from './app-instances';
export * from './latency-proxy';
export * from './dynamo-regions';
export * from './multi-master-replicator';
export * from './exit-hooks';
export * from './moto-server';
export * from './cleanup-stack';
