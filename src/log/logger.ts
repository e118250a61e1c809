import pino from 'pino';
import pretty from 'pino-pretty';

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
 * message after time and level; the JSON form adds the same facts as fields. Nothing that reaches
 * a logger may hold a secret: callers pass redacted values (src/log/redact.ts).
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
  // pino-pretty's formatter, called in line rather than as a transport stream: lines stay in order
  // with everything else the process prints, and any object with write() can take them.
  const prettify = pretty.prettyFactory({
    colorize: !options.destination && !!process.stdout.isTTY,
    translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname', hideObject: true, singleLine: true,
  });
  return pino({ level, base: undefined }, {
    write: (line: string) => {
      const text = prettify(line);
      target.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  });
}

/** A logger that writes nothing: the default of the in-process API, so test runs stay quiet. */
export const silentLogger = (): Logger => pino({ level: 'silent' });

/** `00D000000000001AAA` → `00D…1AAA`: enough to tell orgs apart in a line people read. */
export const shortId = (id: string): string => (id.length > 8 ? `${id.slice(0, 3)}…${id.slice(-4)}` : id);
