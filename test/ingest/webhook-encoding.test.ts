import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, deflateSync, gzipSync, createGzip } from 'node:zlib';
import request from 'supertest';
import { computeTwilioSignature } from '../../src/ingest/twilio-signature';
import { startTestApp, type TestApp } from '../support/test-app';

const PUBLIC_BASE_URL = 'https://incidents.example.com';
const trigger = (dedupKey: string) => ({ routing_key: 'r', dedup_key: dedupKey, event_action: 'trigger', payload: { summary: `${dedupKey} down`, source: 'db-1', severity: 'critical' } });

/** Gzip of `megabytes` MB of zero bytes, compressed as a stream so the test never holds the plain bytes. */
async function gzippedZeros(megabytes: number): Promise<Buffer> {
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(1024 * 1024);
  for (let written = 0; written < megabytes; written += 1) {
    if (!gzip.write(zeros)) await new Promise((resolve) => gzip.once('drain', resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(chunks);
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { accepted?: number; error: string; reason: string; details: Record<string, unknown>; deadLetterId: string };
}

describe('webhook body encodings', () => {
  let t: TestApp;
  let hook: { id: string; secret: string };
  let twilio: { id: string; secret: string };
  const twilioToken = 'twilio-auth-token-for-encoding-tests';

  beforeAll(async () => {
    t = await startTestApp({ config: { PUBLIC_BASE_URL, AUTH_FAILURE_LIMIT: '1000', RETRY_AFTER_SECONDS: '9' } });
    const service = await t.gql<{ createService: { service: { id: string } } }>(`mutation { createService(input: { name: "Encodings", slug: "encodings" }) { service { id } } }`);
    const create = async (vendor: string, extra = '') => {
      const created = await t.gql<{ createIntegration: { integration: { id: string }; secret: string } }>(
        `mutation($s: ID!) { createIntegration(input: { name: "${vendor}", vendor: ${vendor}, serviceId: $s ${extra} }) { integration { id } secret } }`,
        { s: service.data!.createService.service.id },
      );
      return { id: created.data!.createIntegration.integration.id, secret: created.data!.createIntegration.secret };
    };
    hook = await create('GENERIC');
    twilio = await create('TWILIO', `, vendorCredential: "${twilioToken}"`);
  });
  afterAll(() => t.close());

  /** Raw bytes over HTTP (supertest would serialize a Buffer as JSON when the content type is JSON). */
  async function send(pathAndQuery: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
    const response = await fetch(`${t.url}${pathAndQuery}`, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
  }
  const post = (encoding: string | null, body: Buffer, contentType = 'application/json') =>
    send(`/webhooks/${hook.id}`, { authorization: `Bearer ${hook.secret}`, 'content-type': contentType, ...(encoding ? { 'content-encoding': encoding } : {}) }, body);
  const letter = async (id: string) => (await t.app.db.query(`SELECT http_status, reason, body, details FROM dead_letter WHERE id = $1`, [id]))[0];
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it('accepts gzip, deflate (zlib-wrapped and raw) and identity bodies', async () => {
    for (const [encoding, body] of [
      ['gzip', gzipSync(json(trigger('gzip')))],
      ['x-gzip', gzipSync(json(trigger('x-gzip')))],
      ['deflate', deflateSync(json(trigger('deflate')))],
      ['deflate', deflateRawSync(json(trigger('raw-deflate')))],
      ['identity', json(trigger('identity'))],
      ['GZIP', gzipSync(json(trigger('upper-case')))],
    ] as const) {
      const response = await post(encoding, body);
      expect({ encoding, status: response.status, accepted: response.body.accepted }).toEqual({ encoding, status: 202, accepted: 1 });
    }
    const [{ count }] = await t.app.db.query(`SELECT count(*)::int FROM alert WHERE integration_id = $1`, [hook.id]);
    expect(count).toBe(6);
  });

  it('checks a Twilio signature over the decompressed form fields', async () => {
    const params = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/twilio/inbound-sms-alarm.json'), 'utf8')) as Record<string, string>;
    delete params._source;
    delete params._contentType;
    const pathAndQuery = `/webhooks/${twilio.id}?key=${encodeURIComponent(twilio.secret)}`;
    const signature = computeTwilioSignature(twilioToken, `${PUBLIC_BASE_URL}${pathAndQuery}`, params);
    const response = await send(
      pathAndQuery,
      { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', 'x-twilio-signature': signature },
      gzipSync(Buffer.from(new URLSearchParams(params).toString())),
    );
    expect(response.status).toBe(202);
    expect(response.body.accepted).toBe(1);
  });

  it('answers a decompression bomb 413 against the decompressed size, keeping a dead letter, without inflating all of it', async () => {
    const small = await gzippedZeros(2);
    const bomb = await gzippedZeros(200);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const timed = async (body: Buffer) => {
      const started = process.hrtime.bigint();
      const response = await post('gzip', body);
      expect(response.status).toBe(413);
      return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const baseline: number[] = [];
    const bombs: number[] = [];
    let last: Answer | undefined;
    for (let round = 0; round < 5; round += 1) {
      baseline.push((await timed(small)).ms);
      const run = await timed(bomb);
      bombs.push(run.ms);
      last = run.response;
    }
    // Inflating all 200 MB would take ~100 times as long as the 2 MB one; stopping at the limit costs about the same.
    expect(median(bombs) / median(baseline)).toBeLessThan(10);
    expect(last!.body).toMatchObject({ reason: 'body_too_large', details: { limitBytes: 1024 * 1024, contentEncoding: 'gzip' }, deadLetterId: expect.any(String) });
    expect(last!.body.error).toMatch(/decompressed body exceeds the limit of 1048576 bytes/);
    expect(await letter(last!.body.deadLetterId)).toMatchObject({ http_status: 413, reason: 'body_too_large', body: null });
  });

  it('answers an unknown encoding 415 naming the header, and keeps the dead letter', async () => {
    const response = await post('compress', json(trigger('compress')));
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      reason: 'unsupported_content_encoding',
      error: expect.stringContaining('Content-Encoding "compress"'),
      details: { header: 'content-encoding', value: 'compress' },
      deadLetterId: expect.any(String),
    });
  });

  it('answers a corrupt gzip body 400 with a readable message, keeping the bytes as a dead letter', async () => {
    const corrupt = Buffer.concat([gzipSync(json(trigger('corrupt'))).subarray(0, 12), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1f, 0x8b])]);
    const response = await post('gzip', corrupt);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason: 'malformed_body', error: expect.stringMatching(/^the body is not valid gzip data/), deadLetterId: expect.any(String) });
    expect(response.text).toMatch(/^[\x20-\x7e]*$/);
    expect((await letter(response.body.deadLetterId)).body.equals(corrupt)).toBe(true);
  });

  it('answers compressed bytes sent without Content-Encoding 400 with a printable message, never losing the dead letter', async () => {
    const response = await post(null, gzipSync(json(trigger('undeclared'))));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason: 'malformed_body', error: expect.stringMatching(/^body is not valid JSON/), deadLetterId: expect.any(String) });
    expect(response.text).toMatch(/^[\x20-\x7e]*$/);
    expect(await letter(response.body.deadLetterId)).toMatchObject({ http_status: 400, reason: 'malformed_body' });
  });

  it('answers 503 with Retry-After when a dead letter cannot be written, so the sender retries and nothing is lost', async () => {
    const db = t.app.db;
    const failures = async () => Number(/^incident_bridge_dead_letter_failures_total (\d+)/m.exec((await request(t.url).get('/metrics')).text)?.[1] ?? 0);
    const before = await failures();
    // A real refusal by PostgreSQL: dead letters for this reason cannot be inserted for a while.
    await db.query(`ALTER TABLE dead_letter ADD CONSTRAINT refuse_malformed CHECK (reason <> 'malformed_body') NOT VALID`);
    try {
      const refused = await post(null, Buffer.from('{"broken":'));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('9');
      expect(refused.body).toEqual({ error: expect.stringContaining('retry'), details: {} });
      expect(await failures()).toBe(before + 1);
    } finally {
      await db.query(`ALTER TABLE dead_letter DROP CONSTRAINT refuse_malformed`);
    }
    const retried = await post(null, Buffer.from('{"broken":'));
    expect(retried.status).toBe(400);
    expect(retried.body.deadLetterId).toEqual(expect.any(String));
  });
});
