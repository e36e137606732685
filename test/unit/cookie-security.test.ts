import { cookieAttributes, reachedEdgeOverHttps } from '../../lambdas/core/cookie-security';
import { ConfigurationError, readHttpConfig } from '../../lambdas/config/runtime-config';

const TRUSTED = 'x-forwarded-proto';

describe('reachedEdgeOverHttps', () => {
  it.each([
    ['no header trusted, plain HTTP URL', { urlProtocol: 'http:' }, false],
    ['no header trusted, HTTPS URL (a direct TLS request)', { urlProtocol: 'https:' }, true],
    ['a forged https header is ignored when no header is trusted', { forwardedProto: 'https', urlProtocol: 'http:' }, false],
    ['a forged http header is ignored when no header is trusted', { forwardedProto: 'http', urlProtocol: 'https:' }, true],
    ['trusted header absent: the URL decides (health check, bypassed proxy)', { trustedProtoHeader: TRUSTED, urlProtocol: 'http:' }, false],
    ['trusted header says http', { trustedProtoHeader: TRUSTED, forwardedProto: 'http', urlProtocol: 'http:' }, false],
    ['trusted header says https', { trustedProtoHeader: TRUSTED, forwardedProto: 'https', urlProtocol: 'http:' }, true],
    ['trusted header says http on an HTTPS hop inside the network', { trustedProtoHeader: TRUSTED, forwardedProto: 'http', urlProtocol: 'https:' }, false],
    ['appended list: the edge (first entry) was https', { trustedProtoHeader: TRUSTED, forwardedProto: 'https,http', urlProtocol: 'http:' }, true],
    ['appended list: the edge (first entry) was http', { trustedProtoHeader: TRUSTED, forwardedProto: 'http, https', urlProtocol: 'http:' }, false],
    ['case and spaces do not matter', { trustedProtoHeader: TRUSTED, forwardedProto: ' HTTPS ', urlProtocol: 'http:' }, true],
    ['an empty value falls back to the URL', { trustedProtoHeader: TRUSTED, forwardedProto: '', urlProtocol: 'http:' }, false],
    ['an unknown protocol is not https', { trustedProtoHeader: TRUSTED, forwardedProto: 'wss', urlProtocol: 'http:' }, false],
  ])('%s', (_name, transport, expected) => {
    // Act / Assess
    expect(reachedEdgeOverHttps(transport)).toBe(expected);
  });
});

describe('cookieAttributes', () => {
  it('always sets Path, HttpOnly and SameSite=Lax, and Secure only when asked', () => {
    expect(cookieAttributes({ secure: true })).toBe('Path=/; HttpOnly; Secure; SameSite=Lax');
    expect(cookieAttributes({ secure: false })).toBe('Path=/; HttpOnly; SameSite=Lax');
  });
});

describe('readHttpConfig', () => {
  it('trusts no proxy header and mounts no lab route by default', () => {
    expect(readHttpConfig({})).toEqual({ forwardedProtoHeader: undefined, labMode: false });
  });

  it('reads the trusted header in lower case and the lab switch', () => {
    // Act
    const config = readHttpConfig({ FORWARDED_PROTO_HEADER: 'CloudFront-Forwarded-Proto', PATTERN_LAB_MODE: '1' });

    // Assess
    expect(config).toEqual({ forwardedProtoHeader: 'cloudfront-forwarded-proto', labMode: true });
  });

  it('reports every bad value at once', () => {
    // Act
    const read = () => readHttpConfig({ FORWARDED_PROTO_HEADER: 'x forwarded: proto', PATTERN_LAB_MODE: 'yes' });

    // Assess
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      'Invalid runtime configuration:\n' +
        ' - FORWARDED_PROTO_HEADER: got "x forwarded: proto"; allowed: a header name such as x-forwarded-proto or cloudfront-forwarded-proto\n' +
        ' - PATTERN_LAB_MODE: got "yes"; allowed: 0, 1',
    );
  });
});
