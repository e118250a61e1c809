import type { DeployPacing } from '../model/deployPacing';

export type { DeployPacing };

export const NO_PACING: DeployPacing = { hold: 'off' };
const MAX_POLLS = 10_000;
const SYNTAX = 'a number of status polls (such as 3), manual (until released through the admin API) or off';

/** The start option: `3`, `manual` or `off`. */
export function parseDeployPacing(text: string): DeployPacing {
  const word = text.trim().toLowerCase();
  if (word === 'off' || word === '0') return NO_PACING;
  if (word === 'manual') return { hold: 'manual' };
  if (/^\d+$/.test(word) && Number(word) <= MAX_POLLS) return { hold: 'polls', polls: Number(word) };
  throw new Error(`--deploy-pacing must be ${SYNTAX}, not ${text}`);
}

/** The admin API's JSON: `{"hold": "polls", "polls": 3}`, `{"hold": "manual"}` or `{"hold": "off"}`. */
export function pacingFromJson(body: unknown): DeployPacing {
  const value = (body ?? {}) as { hold?: unknown; polls?: unknown };
  if (value.hold === 'off') return NO_PACING;
  if (value.hold === 'manual') return { hold: 'manual' };
  if (value.hold === 'polls') {
    const polls = value.polls;
    if (typeof polls !== 'number' || !Number.isInteger(polls) || polls < 1 || polls > MAX_POLLS) {
      throw new Error(`polls must be a whole number from 1 to ${MAX_POLLS}, not ${JSON.stringify(polls)}`);
    }
    return { hold: 'polls', polls };
  }
  throw new Error(`hold must be "polls" (with "polls": N), "manual" or "off", not ${JSON.stringify(value.hold)}`);
}

/**
 * One deploy's hold: it waits InProgress until released, by its last counted status poll or by an
 * admin call (a release before it starts waiting lets it through at once).
 */
export class DeployHold {
  private pollsLeft: number | undefined;
  private releaseNow!: () => void;
  private isReleased = false;
  readonly released: Promise<void>;

  constructor(readonly pacing: Exclude<DeployPacing, { hold: 'off' }>) {
    this.pollsLeft = pacing.hold === 'polls' ? pacing.polls : undefined;
    this.released = new Promise((resolve) => { this.releaseNow = resolve; });
  }

  /** Counts a status poll that saw the deploy InProgress; the last one releases it. */
  poll(): void {
    if (this.pollsLeft === undefined || this.isReleased) return;
    this.pollsLeft -= 1;
    if (this.pollsLeft <= 0) this.release();
  }

  release(): void {
    this.isReleased = true;
    this.releaseNow();
  }

  get done(): boolean {
    return this.isReleased;
  }

  /** What a log line or the admin API says of it. */
  describe(): string {
    return this.pollsLeft === undefined ? 'until released' : `for ${this.pollsLeft} more status poll${this.pollsLeft === 1 ? '' : 's'}`;
  }
}
