import { Duration } from 'aws-cdk-lib';

/**
 * How a Fargate task leaves without cutting requests, on scale-in or deployment. ECS first
 * deregisters the task from the target group: the ALB sends it no new request and waits up to the
 * deregistration delay for those in flight. Only then does ECS send SIGTERM, and the container
 * server (`lambdas/server/container-server.ts`) closes: it stops accepting, finishes what is still in
 * flight and ends its clients; SIGKILL follows after the stop timeout.
 */
export const TASK_DRAIN = {
  /**
   * The longest a request can run: the runtime bounds every engine call (PG_POOL_DEFAULTS: connect
   * 2 s + query 6 s; Redis and DynamoDB less), so 10 s covers a request that started just before.
   */
  longestRequest: Duration.seconds(10),
  /** ALB draining: longer than any request, short enough that a scale-in takes effect quickly. */
  deregistrationDelay: Duration.seconds(15),
  /** SIGTERM to SIGKILL: a request still running at SIGTERM plus closing the pools and the Redis client. */
  stopTimeout: Duration.seconds(20),
} as const;
