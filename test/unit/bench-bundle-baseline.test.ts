import {
  baselineEntrySource,
  bytesByPackage,
  clientPackagesImported,
  clientRecipe,
  packageOf,
  sdkClientClassName,
  type MetafileLike,
} from '../../bench/bundle-baseline';

/** A metafile shaped like esbuild's for a handler using DynamoDB, whose SDK pulls in the SSO client. */
const metafile: MetafileLike = {
  inputs: {
    'lambdas/handlers/multi-master-handler.ts': { imports: [{ path: 'lambdas/adapters/multi-master-dynamodb-table.ts' }] },
    'lambdas/adapters/multi-master-dynamodb-table.ts': {
      imports: [
        { path: 'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js' },
        { path: 'node:crypto', external: true },
      ],
    },
    'lambdas/adapters/secrets.ts': { imports: [{ path: 'lambdas/adapters/secrets-manager-client.ts' }] },
    'lambdas/adapters/secrets-manager-client.ts': { imports: [{ path: 'node_modules/@aws-sdk/client-secrets-manager/dist-es/index.js' }] },
    'lambdas/http/app.ts': { imports: [{ path: 'node_modules/hono/dist/index.js' }] },
    'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': { imports: [{ path: 'node_modules/@aws-sdk/client-sso/dist-es/index.js' }] },
    'node_modules/@aws-sdk/client-sso/dist-es/index.js': { imports: [] },
  },
  outputs: {
    'out/index.js': {
      bytes: 1000,
      inputs: {
        'lambdas/handlers/multi-master-handler.ts': { bytesInOutput: 50 },
        'lambdas/adapters/multi-master-dynamodb-table.ts': { bytesInOutput: 150 },
        'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js': { bytesInOutput: 500 },
        'node_modules/@aws-sdk/client-sso/dist-es/index.js': { bytesInOutput: 200 },
        'node_modules/hono/dist/index.js': { bytesInOutput: 100 },
      },
    },
  },
};

describe('bench bundle baseline', () => {
  it('names the package of an input path, scoped, nested and project files included', () => {
    expect(packageOf('node_modules/@aws-sdk/client-rds/dist-es/index.js')).toBe('@aws-sdk/client-rds');
    expect(packageOf('node_modules/pg/lib/index.js')).toBe('pg');
    expect(packageOf('node_modules/a/node_modules/pg-pool/index.js')).toBe('pg-pool');
    expect(packageOf('lambdas/adapters/pg-pools.ts')).toBeUndefined();
  });

  it('lists the clients the project files import, not those the packages pull in', () => {
    // Act
    const clients = clientPackagesImported(metafile);

    // Assess: the SSO client comes from the SDK's credential chain, not from our code.
    expect(clients).toEqual(['@aws-sdk/client-dynamodb', '@aws-sdk/client-secrets-manager']);
  });

  it('sums the output bytes per package, largest first', () => {
    expect(bytesByPackage(metafile)).toEqual([
      { name: '@aws-sdk/client-dynamodb', bytes: 500 },
      { name: '(project)', bytes: 200 },
      { name: '@aws-sdk/client-sso', bytes: 200 },
      { name: 'hono', bytes: 100 },
    ]);
  });

  it('finds the one *Client class of an SDK package', () => {
    expect(sdkClientClassName('@aws-sdk/client-dynamodb', ['DynamoDB', 'DynamoDBClient', '__Client', 'GetItemCommand'])).toBe('DynamoDBClient');
    expect(() => sdkClientClassName('@aws-sdk/client-x', ['X', 'XCommand'])).toThrow('@aws-sdk/client-x: expected one export named *Client, found none');
  });

  it('writes a baseline entry that imports and constructs each client and exports a handler', () => {
    // Act
    const source = baselineEntrySource([clientRecipe('pg'), clientRecipe('@aws-sdk/client-rds', ['RDS', 'RDSClient'])]);

    // Assess
    expect(source).toBe(
      [
        "import { Pool } from 'pg';",
        "import { RDSClient } from '@aws-sdk/client-rds';",
        'export const clients = [new Pool(), new RDSClient({})];',
        "export const handler = async () => ({ statusCode: 404, body: '' });",
        '',
      ].join('\n'),
    );
  });

  it('writes the empty handler when there is no client, and refuses unknown packages', () => {
    expect(baselineEntrySource([])).toBe("export const handler = async () => ({ statusCode: 404, body: '' });\n");
    expect(() => clientRecipe('mysql2')).toThrow('mysql2 is not a known client or driver');
  });
});
