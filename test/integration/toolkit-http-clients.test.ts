/** Both toolkit clients against a real local HTTP server: cookies kept per client, bodies parsed. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, KeepAliveHttpClient } from '../../toolkit';

describe('toolkit HTTP clients', () => {
  let server: http.Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/login') res.setHeader('set-cookie', ['sid=s1; Path=/; HttpOnly', 'SERVERID=app-2; Path=/']);
      if (req.url === '/logout') res.setHeader('set-cookie', ['sid=; Max-Age=0']);
      res.setHeader('x-served-by', 'app-2');
      if (req.url === '/text') {
        res.end('hello');
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null, method: req.method }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('HttpClient replays the cookies it was given, and forgets an expired one', async () => {
    // Prepare
    const client = new HttpClient(baseUrl);

    // Act
    await client.get('/login');
    const withCookies = await client.request<{ cookie: string }>('POST', '/echo', { a: 1 });
    await client.get('/logout');
    const afterLogout = await client.get<{ cookie: string }>('/echo');
    const text = await client.get('/text');

    // Assess
    expect(withCookies).toMatchObject({ status: 200, servedBy: 'app-2', body: { cookie: 'sid=s1; SERVERID=app-2', method: 'POST' } });
    expect(afterLogout.body.cookie).toBe('SERVERID=app-2');
    expect(text.body).toBe('hello');
  });

  it('KeepAliveHttpClient keeps its own jar and turns an unexpected status into an error', async () => {
    // Prepare
    const client = new KeepAliveHttpClient(baseUrl);
    try {
      // Act
      await client.request('GET', '/login');
      const echo = await client.expect<{ cookie: string }>(200, 'GET', '/echo');

      // Assess
      expect(echo.body.cookie).toBe('sid=s1; SERVERID=app-2');
      expect(client.cookie('sid')).toBe('s1');
      await expect(client.expect(201, 'GET', '/echo')).rejects.toThrow('GET /echo: HTTP 200');
      client.forgetCookies();
      expect((await client.request<{ cookie: string | null }>('GET', '/echo')).body.cookie).toBeNull();
    } finally {
      client.close();
    }
  });
});
