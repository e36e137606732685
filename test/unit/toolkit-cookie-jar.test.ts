import { CookieJar, parseBody, secureCookiesAllowed } from '../../toolkit';

describe('secureCookiesAllowed', () => {
  it.each([
    ['https://patterns.example/session', true],
    ['http://patterns.example/session', false],
    ['http://10.0.1.23:8080/session', false],
    ['http://127.0.0.1:8080/session', true],
    ['http://localhost:8080/session', true],
    ['http://[::1]:8080/session', true],
  ])('%s keeps Secure cookies: %s', (url, expected) => {
    expect(secureCookiesAllowed(new URL(url))).toBe(expected);
  });
});

describe('CookieJar', () => {
  it('replays what was set and forgets what expired or was emptied', () => {
    // Prepare
    const jar = new CookieJar();
    const url = new URL('http://127.0.0.1:8080/session');

    // Act
    jar.store(['sid=abc; Path=/; HttpOnly', 'SERVERID=app-1; path=/', 'old=x'], url);
    jar.store(['old=x; Max-Age=0', 'SERVERID=; Path=/'], url);

    // Assess
    expect([...jar.entries()]).toEqual([['sid', 'abc']]);
    expect(jar.header()).toBe('sid=abc');
  });

  it('refuses a Secure cookie over plain HTTP from a non-loopback host, as a browser does', () => {
    // Prepare
    const jar = new CookieJar();

    // Act
    jar.store(['sid=abc; Secure', 'theme=dark'], new URL('http://patterns.example/'));
    jar.store(['tls=yes; Secure'], new URL('https://patterns.example/'));

    // Assess
    expect(Object.fromEntries(jar.entries())).toEqual({ theme: 'dark', tls: 'yes' });
  });

  it('sends no cookie header while empty, and none after clear', () => {
    const jar = new CookieJar();
    expect(jar.header()).toBeUndefined();
    jar.store(['a=1', 'b=2'], new URL('http://localhost/'));
    expect(jar.header()).toBe('a=1; b=2');
    jar.clear();
    expect(jar.header()).toBeUndefined();
  });
});

describe('parseBody', () => {
  it('parses JSON, keeps other text, and answers undefined for nothing', () => {
    expect(parseBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseBody('plain')).toBe('plain');
    expect(parseBody('')).toBeUndefined();
  });
});
