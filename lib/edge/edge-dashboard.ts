import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { CLOUDFRONT_WAF_REGION, type PatternWebAcl, WEB_ACL_RULES } from './pattern-web-acl';

export interface EdgeDashboardProps {
  /** Dashboard name, e.g. `Patterns-Stateless-Edge`. */
  readonly dashboardName: string;
  /** @default - no WAF widgets (waf=false) */
  readonly webAcl?: PatternWebAcl;
  /** @default - no CloudFront widgets (edge=none) */
  readonly distribution?: cloudfront.IDistribution;
}

const PERIOD = Duration.minutes(1);

/**
 * The edge on one dashboard: what the WAF let through and blocked, rule by rule (the rate rule shows
 * when a client is throttled), and CloudFront's requests and error rates. CloudFront and
 * CLOUDFRONT-scope WAF metrics live in us-east-1; the widgets name that Region, so the dashboard works
 * from any primary Region.
 */
export class EdgeDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: EdgeDashboardProps) {
    super(scope, id);
    const row: cloudwatch.IWidget[] = [];
    const { webAcl, distribution } = props;
    if (webAcl !== undefined) {
      row.push(
        new cloudwatch.GraphWidget({
          title: 'WAF: allowed vs blocked requests',
          left: [webAcl.metric('AllowedRequests', 'ALL', { label: 'allowed', period: PERIOD }), webAcl.metric('BlockedRequests', 'ALL', { label: 'blocked', period: PERIOD })],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'WAF: blocked requests per rule (rate limit per IP, Common, KnownBadInputs)',
          left: Object.values(WEB_ACL_RULES).map((rule) => webAcl.metric('BlockedRequests', rule, { label: rule, period: PERIOD })),
          width: 12,
        }),
      );
    }
    if (distribution !== undefined) {
      const cloudFront = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/CloudFront',
          metricName,
          dimensionsMap: { DistributionId: distribution.distributionId, Region: 'Global' },
          statistic,
          period: PERIOD,
          region: CLOUDFRONT_WAF_REGION,
        });
      row.push(
        new cloudwatch.GraphWidget({
          title: 'CloudFront: requests',
          left: [cloudFront('Requests', 'Sum')],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: 'CloudFront: error rates (%)',
          left: [cloudFront('4xxErrorRate', 'Average'), cloudFront('5xxErrorRate', 'Average')],
          leftYAxis: { min: 0 },
          width: 12,
        }),
      );
    }
    const logRow: cloudwatch.IWidget[] = [];
    if (webAcl?.logGroupName !== undefined) {
      // Who was blocked, by which rule: the WAF log keeps only blocked and counted requests.
      logRow.push(
        new cloudwatch.LogQueryWidget({
          title: 'WAF log: blocked requests by rule and client IP',
          logGroupNames: [webAcl.logGroupName],
          region: webAcl.region,
          view: cloudwatch.LogQueryVisualizationType.TABLE,
          queryLines: [
            'fields terminatingRuleId, httpRequest.clientIp, httpRequest.uri',
            'filter action = "BLOCK"',
            'stats count(*) as blocked by terminatingRuleId, httpRequest.clientIp',
            'sort blocked desc',
            'limit 20',
          ],
          width: 24,
        }),
      );
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [row.slice(0, 2), row.slice(2), logRow].filter((r) => r.length > 0),
    });
  }
}
