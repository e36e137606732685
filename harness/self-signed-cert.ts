/**
 * A throwaway TLS certificate for the lab's HTTPS frontend, made with the system `openssl` at
 * start: self-signed, valid one day, for the given host names and 127.0.0.1. Browsers in tests
 * accept it with `ignoreHTTPSErrors`; nothing outside the lab ever sees it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Host names a lab certificate covers unless told otherwise (the browser test's non-local name). */
export const LAB_TLS_HOSTS: readonly string[] = ['patterns.example', 'localhost'];

/**
 * Writes `<dir>/lab-tls.pem` (certificate then private key, the form HAProxy's `crt` wants) and
 * returns its path. P-256 keys: made in milliseconds, unlike RSA on a busy 2-core machine.
 *
 * @example
 * const pem = await makeSelfSignedPem(dir); // bind 127.0.0.1:8443 ssl crt <pem>
 */
export async function makeSelfSignedPem(dir: string, hosts: readonly string[] = LAB_TLS_HOSTS): Promise<string> {
  const key = path.join(dir, 'lab-tls.key');
  const cert = path.join(dir, 'lab-tls.crt');
  const san = [...hosts.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
  try {
    await execFileAsync(process.env.OPENSSL_BIN ?? 'openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${hosts[0] ?? 'localhost'}`, '-addext', `subjectAltName=${san}`,
    ]);
  } catch (error) {
    throw new Error(
      `openssl could not make the lab's self-signed certificate (${(error as Error).message.split('\n')[0]}); ` +
        'install it with `apt-get install openssl` or start HAProxy without https',
    );
  }
  const pem = path.join(dir, 'lab-tls.pem');
  fs.writeFileSync(pem, fs.readFileSync(cert, 'utf8') + fs.readFileSync(key, 'utf8'), { mode: 0o600 });
  return pem;
}
