import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';

/** `2026-01-02T03:04:05.000Z` → `2026-01-02 03:04:05 UTC`: one time zone everywhere, as the API answers. */
export const dateTime = (iso) => (iso ? `${new Date(iso).toISOString().replace('T', ' ').slice(0, 19)} UTC` : '—');
export const date = (iso) => (iso ? new Date(iso).toISOString().slice(0, 10) : '—');

/** A span of milliseconds for people: `850 ms`, `12.4 s`, `3 min 5 s`. */
export function duration(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const between = (from, to) => (from && to ? duration(Date.parse(to) - Date.parse(from)) : '—');

const TONES = {
  Succeeded: 'good', Active: 'good', SucceededPartial: 'warn', Failed: 'bad', Canceled: 'muted', Canceling: 'warn',
  InProgress: 'busy', Pending: 'muted', Expired: 'bad',
};

/** A status pill; `tone` good, warn, bad, busy or muted (derived from the text when left out). */
export const Badge = ({ text, tone }) => html`<span class="badge ${tone ?? TONES[text] ?? 'muted'}" data-badge=${text}>${text}</span>`;

export const Alert = ({ children, tone = 'bad' }) => (children ? html`<div class="alert ${tone}" role="alert">${children}</div>` : null);

export const Loading = () => html`<p class="loading">Loading…</p>`;

/** Runs `load` now and whenever `deps` change; `every` ms again while `keepPolling(data)` says so. */
export function useData(load, deps = [], { every, keepPolling } = {}) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);
  useEffect(() => {
    let timer;
    let stopped = false;
    const run = async () => {
      try {
        const data = await load();
        if (stopped || !alive.current) return;
        setState({ data, error: undefined, loading: false });
        if (every && (!keepPolling || keepPolling(data))) timer = setTimeout(run, every);
      } catch (error) {
        if (!stopped && alive.current) setState((s) => ({ ...s, error, loading: false }));
      }
    };
    run();
    return () => { stopped = true; clearTimeout(timer); };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** Indents XML for reading (it arrives on one line); leaves anything else as it is. */
export function prettyXml(text) {
  if (!text || !text.trimStart().startsWith('<')) return text;
  const tokens = text.replace(/>\s+</g, '><').split(/(<[^>]+>)/).filter(Boolean);
  const lines = [];
  let depth = 0;
  const opening = (t) => t.startsWith('<') && !t.startsWith('</') && !t.startsWith('<?') && !t.startsWith('<!') && !t.endsWith('/>');
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const pad = '  '.repeat(depth);
    if (opening(t) && tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('<') && tokens[i + 2]?.startsWith('</')) {
      lines.push(`${pad}${t}${tokens[i + 1]}${tokens[i + 2]}`);
      i += 2;
    } else if (opening(t) && tokens[i + 1]?.startsWith('</')) {
      lines.push(`${pad}${t}${tokens[i + 1]}`);
      i += 1;
    } else if (t.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      lines.push(`${'  '.repeat(depth)}${t}`);
    } else {
      lines.push(`${pad}${t}`);
      if (opening(t)) depth += 1;
    }
  }
  return lines.join('\n');
}

/** A body shown for reading: XML indented, JSON as it came (the server indents it). */
export const Body = ({ text, truncated, bytes }) => html`
  <pre class="body">${prettyXml(text) || '(empty)'}</pre>
  ${truncated ? html`<p class="hint">Only the start is kept: ${bytes?.toLocaleString('en-US')} bytes in all.</p>` : null}`;

export const Field = ({ label, children }) => html`<div class="field"><dt>${label}</dt><dd>${children ?? '—'}</dd></div>`;
