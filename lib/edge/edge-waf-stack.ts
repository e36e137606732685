import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PatternWebAcl } from './pattern-web-acl';

export interface EdgeWafStackProps extends StackProps {
  /** The web ACL's CloudWatch metric name. */
  readonly webAclName: string;
  /** Requests per 5 minutes per client IP. */
  readonly rateLimit: number;
  /** Log what the web ACL blocks, kept this long. @default - no WAF logging */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The CLOUDFRONT-scope web ACL, for a primary Region other than us-east-1: AWS WAF accepts that
 * scope only in us-east-1, so this small stack lives there and the stateless stack reads the ACL's
 * ARN through a weak cross-Region stack reference (`Fn::GetStackOutput`), the same mechanism the
 * regional writers of other Regions use for the global table. Within a Region the app's references
 * are strong (exports): see "Stack references" in the README.
 */
export class EdgeWafStack extends Stack {
  readonly webAcl: PatternWebAcl;

  constructor(scope: Construct, id: string, props: EdgeWafStackProps) {
    super(scope, id, props);
    this.webAcl = new PatternWebAcl(this, 'WebAcl', { scope: 'CLOUDFRONT', name: props.webAclName, rateLimit: props.rateLimit, logRetention: props.logRetention });
    // Its one consumer (the distribution) is in the primary Region, never here.
    CrossStackReferences.of(this.webAcl.webAcl).produce(ReferenceStrength.WEAK);
  }
}
