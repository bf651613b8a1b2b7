import { isSecretParameter, redactUrl, redactUrlsInText } from '../../src/shared/redact-url';

describe('URL redaction', () => {
  it('replaces the values of key, token, secret and similar parameters, keeping the rest', () => {
    expect(redactUrl('/webhooks/abc?key=whk_1&region=eu&token=t&client_secret=s&api_key=k&access_token=a')).toBe(
      '/webhooks/abc?key=[redacted]&region=eu&token=[redacted]&client_secret=[redacted]&api_key=[redacted]&access_token=[redacted]',
    );
  });

  it('matches percent-encoded and upper-case names, keeps fragments, and leaves URLs without a query alone', () => {
    expect(redactUrl('https://x.example/a?%6Bey=whk_1&KEY=whk_2#top')).toBe('https://x.example/a?%6Bey=[redacted]&KEY=[redacted]#top');
    expect(redactUrl('/webhooks/abc')).toBe('/webhooks/abc');
    expect(redactUrl('/a?keyboard=us&monkey=1')).toBe('/a?keyboard=us&monkey=[redacted]');
  });

  it('redacts URLs quoted inside free text', () => {
    expect(redactUrlsInText('Route GET:/x?token=abc&secret=def not found')).toBe('Route GET:/x?token=[redacted]&secret=[redacted] not found');
    expect(redactUrlsInText('"url":"/webhooks/1?key=whk_abc"')).toBe('"url":"/webhooks/1?key=[redacted]"');
    expect(redactUrlsInText('a = b, nothing to hide')).toBe('a = b, nothing to hide');
  });

  it('names the parameters it treats as secret', () => {
    expect(['key', 'token', 'secret', 'password', 'signature', 'sig', 'auth', 'apiKey'].every(isSecretParameter)).toBe(true);
    expect(['region', 'env', 'keyboard', 'limit'].some(isSecretParameter)).toBe(false);
  });
});
