import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const HOSTILE_TITLE = `<script>alert(1)</script> & "Ops' status"`;
const ESCAPED_TITLE = '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ops&#39; status&quot;';

/**
 * Every page a browser gets from the subscriber endpoints is the status page's own message page: the same document
 * headers (the same strict CSP, by the same style hash) as /status, and everything it shows escaped — here a page
 * title an admin typed with markup in it.
 */
describe('status subscriber answer pages: the status page look, its CSP and headers, escaped', () => {
  let t: TestApp;
  let statusHeaders: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ config: { JOBS_ENABLED: 'false', STATUS_SUBSCRIBE_RATE_PER_MINUTE: '100000' } });
    await t.app.services.catalog.createService({ name: 'Public API', slug: 'public-api', public: true });
    await t.app.services.statusPages.create({ slug: 'hostile', title: HOSTILE_TITLE });
    statusHeaders = (await request(t.url).get('/status')).headers;
    expect(statusHeaders['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+='; form-action 'self';/);
  });
  afterAll(() => t.close());

  const browser = (method: 'get' | 'post', path: string) => request(t.url)[method](path).set('Accept', BROWSER);

  /** The links a pending subscriber's confirmation e-mail carries (queued in the outbox: jobs are off here). */
  async function linksOf(address: string): Promise<{ confirm: string; unsubscribe: string }> {
    const [mail]: Array<{ body: string }> = await t.app.db.query(`SELECT body FROM notification WHERE address = $1`, [address]);
    const path = (action: string) => new RegExp(`https?://\\S+?(/status/hostile/subscribers/${action}\\?token=\\S+)`).exec(mail.body)![1];
    return { confirm: path('confirm'), unsubscribe: path('unsubscribe') };
  }

  function expectStatusDocument(answer: request.Response): void {
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) expect([header, answer.headers[header]]).toEqual([header, statusHeaders[header]]);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.text).toContain('<section class="card message" aria-labelledby="message-heading">');
    expect(answer.text).not.toMatch(/<script|style="/i);
  }

  it("answers the subscribe form, the confirmation link, the unsubscribe question and the unsubscribe in the status page's document, the title escaped", async () => {
    const subscribed = await browser('post', '/status/hostile/subscribers').type('form').send('channel=EMAIL&address=ana%40example.com');
    const { confirm, unsubscribe } = await linksOf('ana@example.com');
    const confirmed = await browser('get', confirm);
    const asked = await browser('get', unsubscribe);
    const left = await browser('post', unsubscribe).type('form').send('');
    const answers = { subscribed, confirmed, asked, left };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({ subscribed: 202, confirmed: 200, asked: 200, left: 200 });
    for (const answer of Object.values(answers)) {
      expectStatusDocument(answer);
      expect(answer.text).toContain(`<p class="message-page">${ESCAPED_TITLE}</p>`);
      expect(answer.text).toContain(`· ${ESCAPED_TITLE}</title>`);
    }
    expect(asked.text).toContain(`<h1 id="message-heading">Unsubscribe a•••@example.com from ${ESCAPED_TITLE}?</h1>`);
    expect(asked.text).toContain(`<form method="post" action="${unsubscribe.replace(/&/g, '&amp;')}">`);
  });

  it('answers refusals, an unknown page and a broken body in the same document, what they quote escaped', async () => {
    const refused = await browser('post', '/status/hostile/subscribers').type('form').send(`channel=EMAIL&address=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    const forged = await browser('get', '/status/hostile/subscribers/unsubscribe?token=%3Cscript%3E');
    const unknown = await browser('post', '/status/no-such-page/subscribers').type('form').send('channel=EMAIL&address=x%40example.com');
    const broken = await browser('post', '/status/hostile/subscribers').set('Content-Type', 'application/json').send('{"channel":');
    expect([refused.status, forged.status, unknown.status, broken.status]).toEqual([400, 400, 404, 400]);
    for (const answer of [refused, forged, unknown, broken]) expectStatusDocument(answer);
    expect(refused.text).toContain('<h1 id="message-heading">Please check the form</h1>');
    expect(refused.text).not.toContain('<img');
    expect(forged.text).toContain('<h1 id="message-heading">This link does not work</h1>');
    expect(forged.text).toContain('<p>token: is not a valid unsubscribe link</p>');
    expect(unknown.text).toContain('<h1 id="message-heading">Status page not found</h1>');
  });

  it('answers a rate-limited browser with the same document, saying when to retry', async () => {
    const limited = await startTestApp({ sameDatabaseAs: t, config: { JOBS_ENABLED: 'false', STATUS_SUBSCRIBE_RATE_PER_MINUTE: '1' } });
    try {
      const path = '/status/hostile/subscribers/unsubscribe?token=garbage';
      expect((await request(limited.url).get(path).set('Accept', BROWSER)).status).toBe(400);
      const answer = await request(limited.url).get(path).set('Accept', BROWSER);
      expect(answer.status).toBe(429);
      expectStatusDocument(answer);
      expect(answer.text).toContain(`Please try again in ${answer.headers['retry-after']} seconds.`);
    } finally {
      await limited.close();
    }
  });
});
