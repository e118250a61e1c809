import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distance } from 'fastest-levenshtein';

/**
 * The scratch org features a hub knows, derived at build time from the lists @salesforce/core publishes
 * for the sf CLI (scripts/derive-scratch-org-features.js): features named alone, and features that take
 * a count (`MaxApexCodeSize:20`). Names match without regard to case, as the real hub matches them.
 *
 * Those lists are not complete: real projects deploy with features the CLI only warns about
 * (`EinsteinGPTPlatform`). So a name the lists lack is refused only when it is plainly a misspelling of
 * one they have; any other is accepted (docs/dev-hub.md).
 */
interface FeatureFacts { source: string; named: string[]; counted: string[] }

let facts: { named: Set<string>; counted: Set<string>; all: string[] } | undefined;

function load() {
  if (!facts) {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'dist', 'scratch-org-features.json'), 'utf8')) as FeatureFacts;
    const named = raw.named.map((f) => f.toLowerCase());
    const counted = raw.counted.map((f) => f.toLowerCase());
    facts = { named: new Set(named), counted: new Set(counted), all: [...named, ...counted] };
  }
  return facts;
}

/** What a hub makes of an entry of `Features`: `known`, `unlisted` (accepted), or refused as `malformed` or `misspelled`. */
export type FeatureVerdict = 'known' | 'unlisted' | 'malformed' | 'misspelled';

/** A name this close to a listed one (edits, for names of 8 characters or more) is taken for a typo of it. */
const TYPO_EDITS = 2;
const TYPO_MIN_LENGTH = 8;

export function judgeFeature(entry: string): FeatureVerdict {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?::(\d+))?$/.exec(entry.trim());
  if (!m) return 'malformed';
  const name = m[1]!.toLowerCase();
  const { named, counted, all } = load();
  if (m[2] === undefined ? named.has(name) || counted.has(name) : counted.has(name)) return 'known';
  if (named.has(name)) return 'malformed'; // a count given to a feature that takes none
  const nearest = name.length >= TYPO_MIN_LENGTH && all.some((known) => Math.abs(known.length - name.length) <= TYPO_EDITS && distance(known, name) <= TYPO_EDITS);
  return nearest ? 'misspelled' : 'unlisted';
}
