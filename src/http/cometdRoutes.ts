import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import { parseApiVersion, supportedVersions } from '../apiVersions';
import { LOGGING_CHANNEL, orgTopics, TEST_RESULT_CHANNEL, type TopicMessage } from '../apexRuns/streamingTopics';
import type { Services } from '../services';
import type { Caller } from '../store/orgs';
import { bearerToken } from './rest/bearer';
import { sessionCaller } from './mutualTls';
import { sendJson } from './restErrors';

/**
 * The Streaming API's Bayeux endpoint (`/cometd/<version>`), long-polling only, as much as the sf CLI
 * needs: `sf apex get test` always shakes hands first, and subscribes to /systemTopic/TestResult when the
 * run is not finished. Localforce's runs finish before their call is answered, so a connect is held only
 * briefly; what a run or a log publishes reaches the org's subscribed clients on their next connect.
 */

/** How long a connect waits for a message before it is answered empty: the client connects again at once. */
const CONNECT_HOLD_MS = 1_000;
/** A client that has not connected for this long is forgotten, as the real service forgets it. */
const CLIENT_IDLE_MS = 2 * 60_000;
const ADVICE = { reconnect: 'retry', interval: 0, timeout: 110_000 };
const CHANNELS = new Set([TEST_RESULT_CHANNEL, LOGGING_CHANNEL]);

type Message = Record<string, unknown> & { channel?: unknown; id?: unknown; clientId?: unknown };

interface Client {
  orgId: string;
  subscriptions: Set<string>;
  queue: TopicMessage[];
  lastSeen: number;
  /** Answers the connect held for this client, if one is. */
  wake?: () => void;
  stopListening: () => void;
}

const reply = (message: Message, fields: Record<string, unknown>) => ({
  channel: message.channel, ...(message.id === undefined ? {} : { id: message.id }), ...fields,
});

export function cometdRoutes(services: Services): Router {
  const router = express.Router();
  const clients = new Map<string, Client>();
  const topics = orgTopics(services.store);

  const forget = (id: string) => {
    const client = clients.get(id);
    if (!client) return;
    clients.delete(id);
    client.stopListening();
    client.wake?.();
  };
  const sweep = (now: number) => {
    for (const [id, client] of clients) if (!client.wake && now - client.lastSeen > CLIENT_IDLE_MS) forget(id);
  };

  const handshake = (message: Message, caller: Caller) => {
    const types = Array.isArray(message.supportedConnectionTypes) ? message.supportedConnectionTypes : [];
    if (!types.includes('long-polling')) {
      return reply(message, { successful: false, error: '400::Localforce\'s Streaming API offers the long-polling connection type only', supportedConnectionTypes: ['long-polling'] });
    }
    const clientId = randomBytes(18).toString('base64url');
    const client: Client = { orgId: caller.org.id, subscriptions: new Set(), queue: [], lastSeen: Date.now(), stopListening: () => undefined };
    client.stopListening = topics.listen(caller.org.id, (published) => {
      if (!client.subscriptions.has(published.channel)) return;
      client.queue.push(published);
      client.wake?.();
    });
    clients.set(clientId, client);
    return reply(message, { successful: true, version: '1.0', minimumVersion: '1.0', supportedConnectionTypes: ['long-polling'], clientId, advice: ADVICE });
  };

  /** The reply to one message; a connect's is sent when the connect is let go (see the POST route). */
  const answer = (message: Message, caller: Caller): Record<string, unknown> => {
    if (message.channel === '/meta/handshake') return handshake(message, caller);
    const clientId = typeof message.clientId === 'string' ? message.clientId : '';
    const client = clients.get(clientId);
    if (!client || client.orgId !== caller.org.id) {
      return reply(message, { clientId, successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } });
    }
    client.lastSeen = Date.now();
    switch (message.channel) {
      case '/meta/subscribe':
      case '/meta/unsubscribe': {
        const subscription = message.subscription;
        const wanted = Array.isArray(subscription) ? subscription : [subscription];
        const unknown = wanted.find((c) => typeof c !== 'string' || !CHANNELS.has(c));
        if (unknown !== undefined) {
          return reply(message, { clientId, subscription, successful: false, error: `400::The channel you requested to subscribe to does not exist {${String(unknown)}}` });
        }
        for (const channel of wanted as string[]) {
          if (message.channel === '/meta/subscribe') client.subscriptions.add(channel);
          else client.subscriptions.delete(channel);
        }
        return reply(message, { clientId, subscription, successful: true });
      }
      case '/meta/disconnect':
        forget(clientId);
        return reply(message, { clientId, successful: true });
      case '/meta/connect':
        return reply(message, { clientId, successful: true, advice: ADVICE });
      default:
        return reply(message, { clientId, successful: false, error: `403::Publishing to ${String(message.channel)} is not allowed: the system topics are published by the org` });
    }
  };

  router.post('/cometd/:version', express.json({ type: () => true, limit: '256kb' }), (req: Request, res: Response) => {
    const messages: Message[] = (Array.isArray(req.body) ? req.body : [req.body]).filter((m): m is Message => typeof m === 'object' && m !== null);
    res.locals.operation = [...new Set(messages.map((m) => String(m.channel)))].join(',') || 'cometd';
    const version = parseApiVersion(req.params.version ?? '');
    if (version === undefined) {
      return sendJson(res, 400, messages.map((m) => reply(m, { successful: false, error: `400::API version ${req.params.version} is not supported: Localforce serves ${supportedVersions()[0]} to ${supportedVersions().at(-1)}` })));
    }
    let caller: Caller;
    try {
      caller = sessionCaller(services, res, bearerToken(req));
    } catch {
      // In Bayeux terms, so that a client stops rather than retries: the sf CLI then reports the failed handshake.
      return sendJson(res, 401, messages.map((m) => reply(m, { successful: false, error: '401::Authentication invalid', advice: { reconnect: 'none' } })));
    }
    res.locals.caller = caller;
    sweep(Date.now());
    const replies = messages.map((m) => answer(m, caller));
    const connect = messages.findIndex((m, i) => m.channel === '/meta/connect' && replies[i]!.successful === true);
    const client = connect < 0 ? undefined : clients.get(messages[connect]!.clientId as string);
    const send = () => {
      const delivered = client ? client.queue.splice(0).map((m) => ({ channel: m.channel, data: m.data })) : [];
      sendJson(res, 200, [...replies, ...delivered]);
    };
    // A connect sent with other messages is not held: their replies would wait with it.
    if (!client || client.queue.length || messages.length > 1) return send();
    // An earlier connect of this client still held is let go first: one is held per client.
    client.wake?.();
    let answered = false;
    const release = () => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      if (client.wake === release) client.wake = undefined;
      client.lastSeen = Date.now();
      if (!res.writableEnded && !res.destroyed) send();
    };
    const timer = setTimeout(release, CONNECT_HOLD_MS);
    timer.unref();
    client.wake = release;
    res.once('close', () => {
      if (res.writableEnded) return;
      answered = true;
      clearTimeout(timer);
      if (client.wake === release) client.wake = undefined;
    });
  });

  // A WebSocket upgrade (faye tries one first) or a plain GET: not a 101, so the client falls back to long-polling.
  router.get(['/cometd/:version', '/cometd/:version/*'], (_req: Request, res: Response) => {
    sendJson(res, 400, [{ successful: false, error: '400::Localforce\'s Streaming API takes long-polling POSTs only; it offers no WebSocket' }]);
  });
  return router;
}
