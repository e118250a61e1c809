import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The scratch org features a hub knows, derived at build time from the lists @salesforce/core publishes
 * for the sf CLI (scripts/derive-scratch-org-features.js): features named alone, and features that take
 * a count (`MaxApexCodeSize:20`). Names match without regard to case, as the real hub matches them.
 */
interface FeatureFacts { source: string; named: string[]; counted: string[] }

let facts: { named: Set<string>; counted: Set<string> } | undefined;

function load() {
  if (!facts) {
    const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'dist', 'scratch-org-features.json'), 'utf8')) as FeatureFacts;
    facts = { named: new Set(raw.named.map((f) => f.toLowerCase())), counted: new Set(raw.counted.map((f) => f.toLowerCase())) };
  }
  return facts;
}

/** Whether a hub accepts this entry of `Features` (`Communities`, `MaxApexCodeSize:20`). */
export function isKnownFeature(entry: string): boolean {
  const { named, counted } = load();
  const m = /^([A-Za-z0-9_]+)(?::(\d+))?$/.exec(entry.trim());
  if (!m) return false;
  return m[2] === undefined ? named.has(m[1]!.toLowerCase()) || counted.has(m[1]!.toLowerCase()) : counted.has(m[1]!.toLowerCase());
}
