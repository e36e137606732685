import { secureCookiesAllowed } from '../../lab/lab-client';

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
