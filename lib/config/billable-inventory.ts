/**
 * What a validated configuration makes the stacks create that AWS bills, counted without CDK: NAT
 * gateways, public IPv4 addresses, database instances and standbys, the proxy's vCPUs, cache nodes,
 * Fargate tasks, web ACL rules, secrets, dashboards, alarm metrics, interface endpoints.
 * `test/infra/billable-inventory.test.ts` counts the same things in the synthesized templates, so the
 * two cannot drift apart: change a stack and that test names the count to update here.
 *
 * @example
 * const inventory = billableInventory(parseAppConfig(read).config);
 */
import type { AppConfig } from './app-config';
import { instanceVcpus } from './connection-budget';
import type { CacheEngine } from './price-table';
import { FARGATE_TASK_SIZE } from './scaling-policy';

/** Availability Zones of the VPC (`maxAzs` of the network stack). */
export const VPC_AVAILABILITY_ZONES = 2;
/** gp3 storage allocated to the primary (a read replica gets the same). */
export const DB_ALLOCATED_STORAGE_GB = 20;
/** The replication group's engine (`lib/data/valkey-cache.ts`). */
export const CACHE_ENGINE: CacheEngine = 'valkey';
/** Pattern functions behind the ALB (`LAMBDA_PATTERNS`); the throttle alarm reads one metric each. */
export const LAMBDA_PATTERN_FUNCTIONS = 6;
/** Services of the interface endpoints (Secrets Manager, ECR API, ECR Docker, CloudWatch Logs). */
export const INTERFACE_ENDPOINT_SERVICES = 4;
/** Rules of the web ACL: the rate rule and the managed groups Common and KnownBadInputs. */
export const WEB_ACL_RULES = 3;
/** Master, application role, session signing key, cache AUTH token. */
export const SECRETS = 4;
/** ReverseProxy, CacheAndSessions, ReadReplicas, MultiMaster, Alarms (the edge dashboard is counted apart). */
export const PATTERN_DASHBOARDS = 5;
/**
 * Metrics the cluster's Container Insights publishes for one cluster, one service and one task family
 * (cluster, service and task-family dimensions); an estimate, not a documented figure.
 */
export const CONTAINER_INSIGHTS_METRICS = 33;
/**
 * CloudWatch Logs ingested per month at idle (VPC flow logs of the health checks, the PostgreSQL logs,
 * Container Insights performance events); an assumption, stated in the README.
 */
export const IDLE_LOG_INGESTION_GB = 1;

export interface BillableInventory {
  readonly natGateways: number;
  /** NAT gateways' Elastic IPs, plus the ALB's addresses when it is internet-facing (one per AZ). */
  readonly publicIpv4Addresses: number;
  readonly dbInstanceClass: string;
  /** Primary + read replicas. */
  readonly dbInstances: number;
  /** Multi-AZ standbys (dbReplication=sync): billed like an instance, with their own storage. */
  readonly dbStandbys: number;
  readonly dbStorageGb: number;
  /** vCPUs of the primary behind RDS Proxy (0 without a proxy); undefined for a class the table lacks. */
  readonly proxyVcpus: number | undefined;
  readonly cacheEngine: CacheEngine;
  readonly cacheNodeType: string;
  readonly cacheNodes: number;
  readonly loadBalancers: number;
  readonly fargateMinTasks: number;
  readonly fargateMaxTasks: number;
  readonly fargateTaskVcpu: number;
  readonly fargateTaskGb: number;
  readonly webAcls: number;
  readonly webAclRules: number;
  readonly secrets: number;
  readonly dashboards: number;
  readonly alarms: number;
  /** Metrics the alarms read: a metric-math alarm counts each metric of its expression. */
  readonly alarmMetrics: number;
  /** Interface endpoints times the AZs each one has a network interface in. */
  readonly interfaceEndpointAzs: number;
  readonly containerInsightsMetrics: number;
  readonly distributions: number;
  /** Regions holding a replica of the global table (the primary's included). */
  readonly globalTableRegions: number;
  /** Pattern functions behind the ALB plus one multi-master writer per Region. */
  readonly lambdaFunctions: number;
}

export function billableInventory(config: AppConfig): BillableInventory {
  const replicas = config.readReplicas;
  const proxy = config.dbProxy;
  const edgeDashboard = config.edge === 'cloudfront' || config.waf ? 1 : 0;
  // Lag per replica, connections per node, the proxy's clients, 5xx rate (3 metrics), p99 (1),
  // throttles (one metric per pattern function), Fargate at its maximum (1).
  const alarms = replicas + (1 + replicas) + (proxy ? 1 : 0) + 4;
  const alarmMetrics = replicas + (1 + replicas) + (proxy ? 1 : 0) + 3 + 1 + LAMBDA_PATTERN_FUNCTIONS + 1;
  return {
    natGateways: config.natGateways,
    publicIpv4Addresses: config.natGateways + (config.edge === 'none' ? VPC_AVAILABILITY_ZONES : 0),
    dbInstanceClass: config.dbInstanceClass,
    dbInstances: 1 + replicas,
    dbStandbys: config.dbReplication === 'sync' ? 1 : 0,
    dbStorageGb: DB_ALLOCATED_STORAGE_GB,
    proxyVcpus: proxy ? instanceVcpus(config.dbInstanceClass) : 0,
    cacheEngine: CACHE_ENGINE,
    cacheNodeType: config.cacheNodeType,
    cacheNodes: config.cacheReplicas + 1,
    loadBalancers: 1,
    fargateMinTasks: config.fargateMinTasks,
    fargateMaxTasks: config.fargateMaxTasks,
    fargateTaskVcpu: FARGATE_TASK_SIZE.cpu / 1024,
    fargateTaskGb: FARGATE_TASK_SIZE.memoryMiB / 1024,
    webAcls: config.waf ? 1 : 0,
    webAclRules: config.waf ? WEB_ACL_RULES : 0,
    secrets: SECRETS,
    dashboards: PATTERN_DASHBOARDS + edgeDashboard,
    alarms,
    alarmMetrics,
    interfaceEndpointAzs: config.interfaceEndpoints ? INTERFACE_ENDPOINT_SERVICES * VPC_AVAILABILITY_ZONES : 0,
    containerInsightsMetrics: CONTAINER_INSIGHTS_METRICS,
    distributions: config.edge === 'cloudfront' ? 1 : 0,
    globalTableRegions: 1 + config.replicaRegions.length,
    lambdaFunctions: LAMBDA_PATTERN_FUNCTIONS + 1 + config.replicaRegions.length,
  };
}
