import type { Store } from '../store/store';

/** A message on a Streaming API channel, as a subscriber receives it. */
export interface TopicMessage {
  channel: string;
  data: unknown;
}

type Listener = (message: TopicMessage) => void;

/**
 * The system topics of each org (`/systemTopic/TestResult`, `/systemTopic/Logging`): what this server
 * publishes there reaches the Streaming API clients of that org it serves (src/http/cometdRoutes.ts).
 */
export class OrgTopics {
  private readonly listeners = new Map<string, Set<Listener>>();

  /** Listens to every channel of an org; returns the function that stops it. */
  listen(orgId: string, listener: Listener): () => void {
    const set = this.listeners.get(orgId) ?? new Set<Listener>();
    this.listeners.set(orgId, set.add(listener));
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(orgId);
    };
  }

  publish(orgId: string, channel: string, data: unknown): void {
    for (const listener of this.listeners.get(orgId) ?? []) listener({ channel, data });
  }
}

const byStore = new WeakMap<Store, OrgTopics>();

/** The topics of one server (one store handle), shared by its test runs and its Streaming API endpoint. */
export function orgTopics(store: Store): OrgTopics {
  let topics = byStore.get(store);
  if (!topics) byStore.set(store, (topics = new OrgTopics()));
  return topics;
}

/** The channels the sf CLI listens on: test runs (`sf apex get test`) and debug logs (`sf apex tail log`). */
export const TEST_RESULT_CHANNEL = '/systemTopic/TestResult';
export const LOGGING_CHANNEL = '/systemTopic/Logging';

/** The message of a record changed on a system topic: the record's id in `sobject`, as the CLI reads it. */
export const recordEvent = (id: string, at: string) => ({ event: { type: 'updated', createdDate: at }, sobject: { Id: id } });
