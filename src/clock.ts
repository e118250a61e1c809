import type { Org } from './store/orgs';
import type { Store } from './store/store';

/** An org's "now": the machine clock moved by the org's offset, so tests can make certificates expire. */
export function orgNow(org: Org): Date {
  return new Date(Date.now() + org.clockOffsetMs);
}

/** The org's "now" as stored at this moment: a long job's `org` may predate a move of its clock. */
export function currentOrgNow(store: Store, org: Org): Date {
  return orgNow(store.orgs.get(org.id) ?? org);
}

/**
 * currentOrgNow for a loop over many components: the org's clock is read from the store at most every
 * `everyMs`, so a move of the clock is still seen within that, without a read per component.
 */
export function orgClock(store: Store, org: Org, everyMs = 250): () => Date {
  let offsetMs = org.clockOffsetMs;
  let readAt = -Infinity;
  return () => {
    if (Date.now() - readAt >= everyMs) {
      offsetMs = (store.orgs.get(org.id) ?? org).clockOffsetMs;
      readAt = Date.now();
    }
    return new Date(Date.now() + offsetMs);
  };
}

/**
 * The times an org's clock may show. Certificates made at the latest one still end (two years on,
 * for 4096-bit keys) before X.509's year 9999; anything beyond makes dates nobody can write.
 */
export const ORG_CLOCK_RANGE = { earliest: Date.UTC(1970, 0, 1), latest: Date.UTC(9997, 11, 31, 23, 59, 59) };
const inRange = (t: number) => t >= ORG_CLOCK_RANGE.earliest && t <= ORG_CLOCK_RANGE.latest;
const RANGE_WORDS = `from ${new Date(ORG_CLOCK_RANGE.earliest).toISOString()} to ${new Date(ORG_CLOCK_RANGE.latest).toISOString()}`;

// A date, or a date and time with an optional zone: what `--clock` and the clock endpoint take.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** The offset that shows `time` (ISO 8601) on an org's clock, or why it cannot. */
export function offsetForTime(time: unknown, nowMs = Date.now()): { offsetMs: number } | { error: string } {
  const t = typeof time === 'string' && ISO_8601.test(time.trim()) ? Date.parse(time.trim()) : NaN;
  if (Number.isNaN(t)) return { error: `time must be an ISO 8601 date such as 2030-01-01T00:00:00Z, not ${JSON.stringify(time)?.slice(0, 80)}` };
  if (!inRange(t)) return { error: `time must be ${RANGE_WORDS}, not ${time}` };
  return { offsetMs: t - nowMs };
}

/**
 * Reads a clock change as the admin endpoint takes it: `{"time": ISO}` sets "now", `{"offsetMs": n}`
 * moves the clock n milliseconds from the machine's, `{}` resets it. Anything else is refused whole,
 * so a mistyped request never moves (or resets) a clock by accident.
 */
export function readClockChange(body: unknown, nowMs = Date.now()): { offsetMs: number } | { error: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return { error: 'The clock takes a JSON object: {"time": "<ISO 8601>"}, {"offsetMs": <milliseconds>} or {} to reset it' };
  }
  const keys = Object.keys(body);
  const unknown = keys.find((k) => k !== 'time' && k !== 'offsetMs');
  if (unknown !== undefined) {
    return { error: `Unknown field ${JSON.stringify(unknown.slice(0, 40))}: the clock takes {"time": "<ISO 8601>"}, {"offsetMs": <milliseconds>} or {} to reset it` };
  }
  if (keys.length > 1) return { error: 'Give either time or offsetMs, not both' };
  const { time, offsetMs } = body as { time?: unknown; offsetMs?: unknown };
  if (time !== undefined) return offsetForTime(time, nowMs);
  if (offsetMs === undefined) return { offsetMs: 0 };
  if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs)) return { error: `offsetMs must be a number of milliseconds, not ${JSON.stringify(offsetMs)?.slice(0, 80)}` };
  const rounded = Math.round(offsetMs);
  if (!inRange(nowMs + rounded)) return { error: `offsetMs must keep the org's clock ${RANGE_WORDS}; ${offsetMs} does not` };
  return { offsetMs: rounded };
}
