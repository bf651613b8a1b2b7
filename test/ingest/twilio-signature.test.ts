import {
  computeTwilioBodySha256,
  computeTwilioSignature,
  verifyTwilioSignature,
  verifyTwilioSignatureWithBody,
} from '../../src/ingest/twilio-signature';

/**
 * Example values from Twilio's webhook security documentation (api-snippets
 * security/signature_validation) and twilio-node's spec/validation.spec.js.
 */
const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signature', () => {
  it("computes the documented signature for the docs' example request", () => {
    expect(computeTwilioSignature(AUTH_TOKEN, URL, PARAMS)).toBe(SIGNATURE);
  });

  it('matches the docs example with the +14158675310 caller', () => {
    const params = { ...PARAMS, Caller: '+14158675310', From: '+14158675310' };
    expect(computeTwilioSignature(AUTH_TOKEN, URL, params)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  it('sorts parameters by name, whatever order they arrive in', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(computeTwilioSignature(AUTH_TOKEN, URL, reversed)).toBe(SIGNATURE);
  });

  it('sorts the values of a repeated parameter', () => {
    const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
    expect(computeTwilioSignature(AUTH_TOKEN, URL, params)).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
  });

  it('accepts the correct signature', () => {
    expect(verifyTwilioSignature(AUTH_TOKEN, SIGNATURE, URL, PARAMS)).toBe(true);
  });

  it.each([
    ['a wrong signature', 'WRONG_SIGNATURE', URL, PARAMS],
    ['a missing signature', undefined, URL, PARAMS],
    ['a tampered parameter', SIGNATURE, URL, { ...PARAMS, Digits: '9999' }],
    ['an extra query parameter', SIGNATURE, `${URL}&somethingUnexpected=true`, PARAMS],
  ])('rejects %s', (_name, signature, url, params) => {
    expect(verifyTwilioSignature(AUTH_TOKEN, signature, url, params)).toBe(false);
  });

  it('rejects a signature made with another auth token', () => {
    expect(verifyTwilioSignature('54321', SIGNATURE, URL, PARAMS)).toBe(false);
  });

  describe('URL ports, as Twilio signs with or without them', () => {
    it('accepts an https URL with a port when the signature was made without it', () => {
      expect(verifyTwilioSignature(AUTH_TOKEN, SIGNATURE, URL.replace('.com', '.com:1234'), PARAMS)).toBe(true);
    });

    it('accepts an http URL with a port signed with that port', () => {
      const url = URL.replace('.com', '.com:1234').replace('https', 'http');
      expect(verifyTwilioSignature(AUTH_TOKEN, 'Zmvh+3yNM1Phv2jhDCwEM3q5ebU=', url, PARAMS)).toBe(true);
    });

    it('accepts an https URL without a port signed with :443', () => {
      expect(verifyTwilioSignature(AUTH_TOKEN, 'kvajT1Ptam85bY51eRf/AJRuM3w=', URL, PARAMS)).toBe(true);
    });

    it('accepts an http URL without a port signed with :80', () => {
      const url = URL.replace('https', 'http');
      expect(verifyTwilioSignature(AUTH_TOKEN, '0ZXoZLH/DfblKGATFgpif+LLRf4=', url, PARAMS)).toBe(true);
    });

    it('accepts URLs with credentials', () => {
      const url = 'https://user:pass@mycompany.com/myapp.php?foo=1&bar=2';
      expect(verifyTwilioSignature(AUTH_TOKEN, 'CukzLTc1tT5dXEDIHm/tKBanW10=', url, PARAMS)).toBe(true);
      expect(verifyTwilioSignature(AUTH_TOKEN, 'ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=', url, PARAMS)).toBe(true);
    });
  });

  describe('JSON bodies signed through bodySHA256', () => {
    const body = '{"property": "value", "boolean": true}';
    const bodyHash = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
    const urlWithHash = `${URL}&bodySHA256=${bodyHash}`;

    it('hashes the raw body as hex sha256', () => {
      expect(computeTwilioBodySha256(body)).toBe(bodyHash);
    });

    it('accepts the documented signature and body', () => {
      expect(verifyTwilioSignatureWithBody(AUTH_TOKEN, 'a9nBmqA0ju/hNViExpshrM61xv4=', urlWithHash, body)).toBe(true);
    });

    it('accepts an empty JSON object body', () => {
      const url = `${URL}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`;
      expect(verifyTwilioSignatureWithBody(AUTH_TOKEN, 'Ldidvp12m26NI7eqEvxnEpkd9Hc=', url, '{}')).toBe(true);
    });

    it('accepts a URL whose only parameter is bodySHA256', () => {
      const url = `https://mycompany.com/myapp.php?bodySHA256=${bodyHash}`;
      expect(verifyTwilioSignatureWithBody(AUTH_TOKEN, 'y77kIzt2vzLz71DgmJGsen2scGs=', url, body)).toBe(true);
    });

    it('rejects a body that does not match bodySHA256', () => {
      expect(verifyTwilioSignatureWithBody(AUTH_TOKEN, 'a9nBmqA0ju/hNViExpshrM61xv4=', urlWithHash, `${body} `)).toBe(false);
    });

    it('rejects a URL without bodySHA256', () => {
      expect(verifyTwilioSignatureWithBody(AUTH_TOKEN, SIGNATURE, URL, body)).toBe(false);
    });
  });
});
