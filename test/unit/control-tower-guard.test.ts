import { resourceTypesOf, rulesFor, twoGroupsBySize } from '../../lib/nag/control-tower-guard';

describe('control-tower-guard rule selection', () => {
  const rules = [
    { file: 's3.guard', text: "let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]" },
    { file: 'lambda.guard', text: 'let LAMBDA = "AWS::Lambda::Function"\nlet ROLE = "AWS::IAM::Role"' },
    { file: 'any-resource.guard', text: 'rule every_resource_tagged { Resources.* { Properties.Tags exists } }' },
  ];

  it('keeps a rule file that names a type present, and one that names no type at all', () => {
    expect(rulesFor(rules, new Set(['AWS::IAM::Role']))).toEqual(['lambda.guard', 'any-resource.guard']);
  });

  it('drops a rule file none of whose types is present', () => {
    expect(rulesFor(rules, new Set(['AWS::EC2::VPC']))).toEqual(['any-resource.guard']);
  });

  it('reads the resource types of a template, ignoring entries without a string Type', () => {
    expect(resourceTypesOf({ Resources: { A: { Type: 'AWS::S3::Bucket' }, B: { Type: 3 }, C: {} } })).toEqual(['AWS::S3::Bucket']);
    expect(resourceTypesOf({})).toEqual([]);
  });

  it('deals templates into two groups of about equal size for two cfn-guard processes, every template once', () => {
    const files = [{ file: 'stateless', bytes: 116 }, { file: 'data', bytes: 35 }, { file: 'network', bytes: 17 }, { file: 'regional', bytes: 9 }];
    expect(twoGroupsBySize(files)).toEqual([['stateless'], ['data', 'network', 'regional']]);
    expect(twoGroupsBySize([{ file: 'a', bytes: 9 }, { file: 'b', bytes: 5 }, { file: 'c', bytes: 4 }])).toEqual([['a'], ['b', 'c']]);
    expect(twoGroupsBySize([{ file: 'only', bytes: 1 }])).toEqual([['only']]);
  });
});
