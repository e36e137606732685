/**
 * The lab's HAProxy acts as the ALB does for the cookie rule: it overwrites X-Forwarded-Proto with
 * the protocol the client used (a forged value never reaches the app), and with `https: true` it
 * terminates TLS with a self-signed certificate made at start. The app instances are told to trust
 * that header and run in lab mode.
 */
import * as https from 'node:https';
import * as path from 'node:path';
import { startAppInstances, type AppInstance } from '../../harness/app-instances';
import { startHaproxy, type Haproxy } from '../../harness/haproxy';
import { httpGet } from '../../harness/http-probe';

const FIXTURE = path.join(__dirname, 'fixtures', 'instance-server.ts');

interface Echo {
  readonly headers: Record<string, string>;
  readonly env: Record<string, string | undefined>;
}

/** GET over TLS, accepting the lab's self-signed certificate (this test checks routing, not trust). */
function httpsGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; cert: string }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { headers, rejectUnauthorized: false, timeout: 2000 }, (response) => {
      const cert = (response.socket as import('node:tls').TLSSocket).getPeerCertificate().subjectaltname ?? '';
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, cert }));
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on('error', reject);
  });
}

describe('Haproxy X-Forwarded-Proto and the HTTPS frontend', () => {
  let apps: AppInstance[];
  let lb: Haproxy;

  beforeAll(async () => {
    apps = await startAppInstances({ count: 1, env: {}, entry: FIXTURE });
    lb = await startHaproxy({ backends: apps, sticky: false, https: true });
  }, 30_000);

  afterAll(async () => {
    await lb?.stop();
    await Promise.all((apps ?? []).map((a) => a.stop()));
  });

  it('tells the app the client used http, overwriting a forged header', async () => {
    // Act
    const response = await httpGet(`${lb.url}/headers`, { 'x-forwarded-proto': 'https' });

    // Assess
    const echo = JSON.parse(response.body) as Echo;
    expect(echo.headers['x-forwarded-proto']).toBe('http');
    expect(echo.env).toEqual({ PATTERN_LAB_MODE: '1', FORWARDED_PROTO_HEADER: 'x-forwarded-proto' });
  });

  it('terminates TLS with a certificate for patterns.example and says https', async () => {
    // Act
    const response = await httpsGet(`${lb.httpsUrl}/headers`, { 'x-forwarded-proto': 'http' });

    // Assess
    expect(lb.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(response.status).toBe(200);
    expect((JSON.parse(response.body) as Echo).headers['x-forwarded-proto']).toBe('https');
    expect(response.cert).toContain('DNS:patterns.example');
  });
});
