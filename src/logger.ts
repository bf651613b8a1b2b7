import pino, { type DestinationStream, type Logger } from 'pino';

/** JSON lines on stdout, or on `destination` (tests read what was logged). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
    level,
    base: { service: 'incident-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.password'], censor: '[redacted]' },
    },
    destination,
  );
}
