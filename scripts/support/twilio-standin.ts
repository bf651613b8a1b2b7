import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer, listen } from './loopback-server';
import { waitForCount } from './wait';

/**
 * A real HTTP server standing in for Twilio's REST API, Messages resource only
 * (POST /2010-04-01/Accounts/{AccountSid}/Messages.json). It validates requests the way Twilio
 * documents them and answers with Twilio-shaped JSON, so a channel that passes here speaks Twilio.
 * The tests and the benchmarks (which time a page by its arrival here) share it.
 */

export interface TwilioStandInOptions {
  accountSid: string;
  authToken: string;
}

export interface AcceptedSms {
  sid: string;
  to: string;
  /** The From number, or null when a MessagingServiceSid was used. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  /** Value of I-Twilio-Idempotency-Token, if sent. */
  idempotencyToken: string | null;
  /** Everything that was in the form body. */
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  receivedAt: Date;
  /** performance.now() of this process when the request had arrived whole, for timing a page. */
  arrivedAt: number;
}

/** Every request that reached the server, accepted or not. */
export interface TwilioRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  status: number;
}

export interface TwilioFailure {
  status: number;
  /** Twilio error code; defaults by status (20429 for 429, 20500 for 5xx, …). */
  code?: number;
  message?: string;
  headers?: Record<string, string>;
  /** Answer only after this long (to provoke client timeouts). */
  delayMs?: number;
}

export interface TwilioStandIn {
  /** Give this as the SMS channel's baseUrl. */
  readonly baseUrl: string;
  readonly messages: AcceptedSms[];
  readonly requests: TwilioRequest[];
  /** Requests answered with an error rather than 201 (scripted failures included). */
  readonly rejected: number;
  /** The next `times` requests (after anything already scripted) answer with this failure instead of being processed. */
  failNext(failure: TwilioFailure, times?: number): void;
  /** The next `times` requests are processed normally but answered only after `ms`. */
  delayNext(ms: number, times?: number): void;
  waitForMessages(n: number, timeoutMs?: number): Promise<AcceptedSms[]>;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

export function twilioErrorJson(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function defaultCode(status: number): number {
  if (status === 401) return 20003;
  if (status === 404) return 20404;
  if (status === 429) return 20429;
  if (status >= 500) return 20500;
  return 21600 + (status % 100);
}

type Step = { kind: 'fail'; failure: TwilioFailure } | { kind: 'delay'; ms: number };

export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  const messages: AcceptedSms[] = [];
  const requests: TwilioRequest[] = [];
  const script: Step[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  const handle = (req: http.IncomingMessage, rawBody: string, arrivedAt: number): { status: number; json: unknown; headers?: Record<string, string> } => {
    const path = (req.url ?? '').split('?')[0];
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    // Twilio authenticates before anything else.
    if (req.headers.authorization !== expectedAuth) {
      return { status: 401, json: twilioErrorJson(401, 20003, 'Authenticate') };
    }
    if (!match || match[1] !== options.accountSid) {
      return { status: 404, json: twilioErrorJson(404, 20404, `The requested resource ${path} was not found`) };
    }
    if (req.method !== 'POST') {
      return { status: 405, json: twilioErrorJson(405, 20004, 'Method not allowed') };
    }
    // Twilio only reads form-encoded parameters; anything else arrives as "no parameters".
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const params = contentType === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(rawBody)) : {};
    const to = params.To;
    if (!to) return { status: 400, json: twilioErrorJson(400, 21604, "A 'To' phone number is required.") };
    if (!E164.test(to)) return { status: 400, json: twilioErrorJson(400, 21211, `Invalid 'To' Phone Number: ${to}`) };
    const from = params.From ?? null;
    const messagingServiceSid = params.MessagingServiceSid ?? null;
    if (!from && !messagingServiceSid) {
      return { status: 400, json: twilioErrorJson(400, 21603, "A 'From' phone number is required.") };
    }
    if (from && !E164.test(from)) {
      return { status: 400, json: twilioErrorJson(400, 21212, `Invalid From Number (caller ID): ${from}`) };
    }
    const body = params.Body;
    if (!body) return { status: 400, json: twilioErrorJson(400, 21602, 'Message body is required.') };
    if (body.length > 1600) {
      return { status: 400, json: twilioErrorJson(400, 21617, 'The concatenated message body exceeds the 1600 character limit.') };
    }

    const sid = `SM${randomBytes(16).toString('hex')}`;
    const receivedAt = new Date();
    const token = req.headers['i-twilio-idempotency-token'];
    messages.push({
      sid,
      to,
      from,
      messagingServiceSid,
      body,
      idempotencyToken: typeof token === 'string' ? token : null,
      params,
      headers: req.headers,
      receivedAt,
      arrivedAt,
    });
    const date = receivedAt.toUTCString().replace('GMT', '+0000');
    return {
      status: 201,
      json: {
        account_sid: options.accountSid,
        api_version: '2010-04-01',
        body,
        date_created: date,
        date_sent: null,
        date_updated: date,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: messagingServiceSid,
        num_media: '0',
        num_segments: String(Math.max(1, Math.ceil(body.length / 153))),
        price: null,
        price_unit: 'USD',
        sid,
        status: messagingServiceSid && !from ? 'accepted' : 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}/Media.json` },
        to,
        uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
      },
    };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const arrivedAt = performance.now();
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const step = script.shift();
      let result: { status: number; json: unknown; headers?: Record<string, string> };
      let delayMs: number;
      if (step?.kind === 'fail') {
        const { status, code = defaultCode(status), message = http.STATUS_CODES[status] ?? 'Error' } = step.failure;
        result = { status, json: twilioErrorJson(status, code, message), headers: step.failure.headers };
        delayMs = step.failure.delayMs ?? 0;
      } else {
        result = handle(req, rawBody, arrivedAt);
        delayMs = step?.kind === 'delay' ? step.ms : 0;
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, status: result.status });
      const answer = (): void => {
        res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
        res.end(JSON.stringify(result.json));
      };
      if (delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    messages,
    requests,
    get rejected() {
      return requests.filter((request) => request.status !== 201).length;
    },
    failNext(failure, times = 1) {
      for (let i = 0; i < times; i++) script.push({ kind: 'fail', failure });
    },
    delayNext(ms, times = 1) {
      for (let i = 0; i < times; i++) script.push({ kind: 'delay', ms });
    },
    waitForMessages: (n, timeoutMs = 5000) => waitForCount('SMS messages', messages, n, timeoutMs),
    close: () => closeServer(server, timers),
  };
}
