import pino from 'pino';

export type Logger = pino.Logger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Where lines go: stdout unless a stream (or anything with write()) is given, as tests do. */
export interface LogDestination {
  write(line: string): unknown;
}

export interface LogOptions {
  level?: LogLevel;
  /** `text` (the default): one line a call for people; `json`: one JSON object a line for machines. */
  format?: LogFormat;
  destination?: LogDestination;
}

/**
 * The server's logger (pino). Lines say everything in their message, so the text form is the
 * message after time (UTC) and level; the JSON form adds the same facts as fields. Nothing that
 * reaches a logger may hold a secret: callers pass redacted values (src/log/redact.ts).
 */
export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? 'info';
  const target: LogDestination = options.destination ?? pino.destination({ sync: true });
  if (options.format === 'json') {
    return pino({
      level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    }, target as pino.DestinationStream);
  }
  // Text lines are formatted here rather than by pino-pretty: its general prettifier cost about three
  // times a JSON line per call, on the request path, and every line already says everything in its
  // message, so `[time] LEVEL: message` is all there is to write. Fields are left out of text lines.
  return pino({ level, base: undefined, formatters: { log: () => ({}) } }, {
    write: (line: string) => {
      const { time, level: number, msg } = JSON.parse(line) as { time: number; level: number; msg: string };
      target.write(`[${new Date(time).toISOString().replace('T', ' ').slice(0, 23)}] ${LEVEL_LABELS[number] ?? number}: ${msg}\n`);
    },
  });
}

const LEVEL_LABELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** A logger that writes nothing: the default of the in-process API, so test runs stay quiet. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** `00D000000000001AAA` → `00D…1AAA`: enough to tell orgs apart in a line people read. */
export const shortId = (id: string): string => (id.length > 8 ? `${id.slice(0, 3)}…${id.slice(-4)}` : id);
