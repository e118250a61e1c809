import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The figures of a reliability run (counts, event loop delays, throughput), kept in .cache/reliability/
 * for docs/reliability.md and printed once, so a CI log shows them too.
 */
export function recordFigures(suite: string, figures: Record<string, unknown>): void {
  const dir = join(__dirname, '..', '..', '..', '.cache', 'reliability');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${suite}.json`), `${JSON.stringify({ suite, at: new Date().toISOString(), ...figures }, null, 2)}\n`);
  process.stdout.write(`reliability ${suite}: ${JSON.stringify(figures)}\n`);
}
