import pino, { type DestinationStream, type Logger } from 'pino';
import { redactUrl, redactUrlsInText } from './shared/redact-url';

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** What Fastify logs of a request (its own serializer's fields), with secrets in the query string redacted. */
function requestSerializer(request: LoggedRequest) {
  return {
    method: request.method,
    url: typeof request.url === 'string' ? redactUrl(request.url) : request.url,
    host: request.host ?? request.headers?.host,
    remoteAddress: request.ip ?? request.socket?.remoteAddress,
    remotePort: request.socket?.remotePort,
  };
}

/**
 * pino's error serializer; messages and stacks may quote a URL (Fastify's errors do). Anything may be thrown, and a
 * rejection's reason logged as `err` is not always an Error: a string, null or a number is logged as its text.
 */
function errorSerializer(error: unknown) {
  if (error === null || typeof error !== 'object') return { type: error === null ? 'null' : typeof error, message: redactUrlsInText(String(error)) };
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(serialized)) {
    if (typeof value === 'string') serialized[field] = redactUrlsInText(value);
  }
  return serialized;
}

/**
 * The one logger of the process (Fastify's request logs are its children). Secrets never reach a line:
 * authorization headers and secret fields are censored, and every URL — in `req`, `url`, error messages and the
 * message text itself — has the values of its key/token/secret… query parameters redacted.
 * JSON lines on stdout, or on `destination` (tests read what was logged).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'incident-bridge' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.secret', '*.password'],
        censor: '[redacted]',
      },
      serializers: {
        req: requestSerializer,
        url: (url: unknown) => (typeof url === 'string' ? redactUrl(url) : url),
        err: errorSerializer,
      },
      hooks: {
        logMethod(args, method) {
          for (let index = 0; index < args.length; index += 1) {
            if (typeof args[index] === 'string') args[index] = redactUrlsInText(args[index] as string);
          }
          return method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
