import { ConfigurationError, readServerConfig } from '../../lambdas/config/runtime-config';

describe('readServerConfig', () => {
  it('listens on every interface by default, as a container behind a load balancer must', () => {
    expect(readServerConfig({})).toEqual({ port: 8080, host: '0.0.0.0' });
  });

  it('listens where LISTEN_HOST says (the playground and lab: 127.0.0.1)', () => {
    expect(readServerConfig({ PORT: '9000', LISTEN_HOST: '127.0.0.1' })).toEqual({ port: 9000, host: '127.0.0.1' });
  });

  it('refuses a LISTEN_HOST that is not an IP address, with the port problem too', () => {
    expect(() => readServerConfig({ PORT: '0', LISTEN_HOST: 'localhost' })).toThrow(ConfigurationError);
    expect(() => readServerConfig({ PORT: '0', LISTEN_HOST: 'localhost' })).toThrow(
      /LISTEN_HOST: got "localhost"; allowed: an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0[\s\S]*PORT: got "0"; allowed: an integer from 1 to 65535/,
    );
  });
});
