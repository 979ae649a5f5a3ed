// One operation: the resource, live progress, the event timeline, streamed output as it arrives, files to
// download, error details; cancel, delete and run again.
import { get, post, del, download, ApiError, Unreachable } from './api.js';
import { h, clear, keepFocus } from './dom.js';
import { confirmDialog } from './confirm.js';
import { openStream } from './stream.js';
import { time, duration, percentOf, rate, eta, number } from './format.js';

const MAX_TIMELINE = 500;

function pretty(value) {
  return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
}

/** Text of an output chunk: a string as is, common token fields, else its JSON. */
function chunkText(data) {
  if (typeof data === 'string') return data;
  if (data && typeof data === 'object') {
    for (const key of ['text', 'token', 'delta', 'content']) if (typeof data[key] === 'string') return data[key];
    // An http-kind event without a text delta (message_start, [DONE]…): listed in the events, not in the text.
    if ('event' in data || 'response' in data) return '';
  }
  return JSON.stringify(data) + '\n';
}

/** File links in a result: strings naming this operation's files. */
function filesOf(op) {
  const found = new Set();
  const prefix = `/v1/operations/${op.id}/files/`;
  (function walk(v) {
    if (typeof v === 'string') { if (v.startsWith(prefix) && /^[a-z0-9._-]+$/.test(v.slice(prefix.length))) found.add(v); }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  })(op.result);
  return [...found];
}

/**
 * An export's download link (result.download_url: signed, works without the key until expires_at). Only an http(s)
 * URL or a path on this server becomes a link: a result is the operation's own data, never trusted as markup.
 */
function downloadLink(op) {
  const r = op.result;
  if (!r || typeof r !== 'object' || typeof r.download_url !== 'string') return '';
  let url;
  try { url = new URL(r.download_url, location.href); } catch { return ''; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return '';
  const name = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1)) || 'the file';
  const expires = typeof r.expires_at === 'string' ? new Date(r.expires_at) : null;
  const expired = expires !== null && expires.getTime() <= Date.now();
  const facts = [typeof r.row_count === 'number' ? r.row_count.toLocaleString() + ' rows' : '', typeof r.bytes === 'number' ? r.bytes.toLocaleString() + ' bytes' : '',
    typeof r.format === 'string' ? r.format : ''].filter(Boolean).join(', ');
  return h('section', { 'aria-label': 'Download link' }, h('h2', {}, 'Download'),
    h('p', {}, expired ? h('span', { id: 'download-link', class: 'muted' }, 'The download link has expired; run the export again for a new one.')
      : h('a', { id: 'download-link', href: url.href, rel: 'noopener noreferrer', download: '' }, 'Download ' + name),
    facts ? ` (${facts})` : '', expires ? h('span', { class: 'muted' }, ` · link ${expired ? 'expired' : 'expires'} ${time(r.expires_at)}`) : ''));
}

export function renderDetail(main, id) {
  const path = `/v1/operations/${encodeURIComponent(id)}`;
  const head = h('div', { class: 'detail-head' });
  const body = h('div', { class: 'detail-body' });
  const message = h('p', { class: 'detail-message', role: 'status' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  const output = h('pre', { class: 'output', id: 'output', 'aria-live': 'off' });
  let first = null, last = null;
  let stream = null;
  let refresh = null;
  let disposed = false;

  main.append(h('p', {}, h('a', { href: '#/' }, '← Operations')), head, message, body,
    h('section', { 'aria-label': 'Output' }, h('h2', {}, 'Output'), output),
    h('section', { 'aria-label': 'Events' }, h('h2', {}, 'Events'), timeline));

  function actions(op) {
    const buttons = [];
    if (!op.done) buttons.push(h('button', { type: 'button', id: 'cancel', 'data-focus': 'cancel', onclick: () => act(() => post(path + '/cancel'), 'Cancel') }, op.cancel_requested ? 'Cancel (stopping…)' : 'Cancel'));
    if (op.done) buttons.push(h('button', { type: 'button', id: 'delete', 'data-focus': 'delete', onclick: async () => {
      if (!await confirmDialog(`Delete ${op.id}, its events and files?`, 'Delete')) return;
      try { await del(path); location.hash = '#/'; } catch (e) { message.textContent = 'Delete failed: ' + e.message; }
    } }, 'Delete'));
    buttons.push(h('button', { type: 'button', id: 'run-again', 'data-focus': 'run-again', onclick: async () => {
      try {
        const request = await get(path + '/request');
        const created = await post('/v1/operations', request);
        location.hash = '#/op/' + encodeURIComponent(created.id);
      } catch (e) { message.textContent = 'Run again failed: ' + e.message; }
    } }, 'Run again'));
    return buttons;
  }

  async function act(call, name) {
    try { render(await call()); } catch (e) { message.textContent = `${name} failed: ${e.message}`; }
  }

  function render(op) {
    if (disposed) return;
    const pct = percentOf(op);
    const p = op.progress || {};
    if (typeof p.current === 'number') {
      const sample = { value: p.current, at: Date.now() };
      if (!first || sample.value < first.value) first = sample;
      last = sample;
    }
    const r = rate(first, last);
    const left = eta(op);
    // Re-rendered on every change: the focus stays on its button, or moves to the new status when the button went.
    keepFocus(head, () => clear(head).append(
      h('h1', { class: 'mono' }, op.id), ' ',
      h('span', { class: 'status status-' + op.status, id: 'detail-status', tabindex: -1 }, op.status),
      h('div', { class: 'actions' }, ...actions(op)),
      h('div', { class: 'detail-progress' },
        pct === null ? '' : h('progress', { max: 100, value: pct, 'aria-label': 'progress' }),
        h('span', {}, [pct === null ? '' : number(pct) + ' %',
          typeof p.current === 'number' ? `${p.current}${typeof p.total === 'number' ? ' / ' + p.total : ''} ${p.unit || ''}` : '',
          r && !op.done ? `${number(r)} ${p.unit || ''}/s` : '',
          left !== null ? 'ETA ' + duration(left) : '', p.message || ''].filter(Boolean).join(' · ')))), () => head.querySelector('#detail-status'));
    const fields = [
      ['kind', op.kind], ['created', time(op.created_at)], ['started', time(op.started_at)], ['finished', time(op.finished_at)],
      ['updated', time(op.updated_at)], ['attempt', `${op.attempt} of ${op.max_attempts}`],
      ['estimated completion', time(op.estimated_completion)], ['cancel requested', op.cancel_requested ? 'yes' : 'no'],
    ];
    const files = filesOf(op);
    clear(body).append(
      h('dl', { class: 'fields' }, ...fields.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v || '–')])),
      op.error ? h('section', { class: 'error-box', 'aria-label': 'Error' }, h('h2', {}, 'Error'),
        h('p', {}, h('code', {}, op.error.code), ' ', op.error.message),
        op.error.details ? h('pre', {}, pretty(op.error.details)) : '') : '',
      files.length ? h('section', { 'aria-label': 'Files' }, h('h2', {}, 'Files'), h('ul', {}, ...files.map((f) => {
        const name = f.slice(f.lastIndexOf('/') + 1);
        return h('li', {}, h('button', { type: 'button', class: 'download', onclick: () => download(f, name).catch((e) => { message.textContent = 'Download failed: ' + e.message; }) }, 'Download ' + name));
      }))) : '',
      downloadLink(op),
      op.result !== undefined && op.result !== null ? h('section', { 'aria-label': 'Result' }, h('h2', {}, 'Result'), h('pre', { id: 'result' }, pretty(op.result))) : '',
      h('section', { 'aria-label': 'Metadata' }, h('h2', {}, 'Metadata'), h('pre', { id: 'metadata' }, op.metadata ? pretty(op.metadata) : '(none)')));
  }

  function addEvent(e) {
    const summary = e.type === 'output' ? chunkText(e.data).slice(0, 200)
      : e.type === 'progress' ? [e.data?.percent !== undefined ? number(e.data.percent) + ' %' : '', e.data?.message || ''].filter(Boolean).join(' ')
      : e.type === 'status' ? e.data?.status || ''
      : e.type === 'warning' ? `${e.data?.code || ''} ${e.data?.message || ''}`
      : e.type === 'done' || e.type === 'snapshot' ? e.data?.status || '' : '';
    timeline.append(h('li', { 'data-type': e.type }, h('span', { class: 'mono' }, '#' + (e.id ?? '')), ' ', h('strong', {}, e.type), ' ', summary));
    while (timeline.childElementCount > MAX_TIMELINE) timeline.firstElementChild.remove();
  }

  function scheduleRefresh() {
    if (refresh) return;
    refresh = setTimeout(async () => {
      refresh = null;
      try { render(await get(path)); } catch { /* banner or 401 handled globally */ }
    }, 250);
  }

  (async () => {
    try {
      render(await get(path));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) message.textContent = `No operation ${id} (it may have been deleted, or belong to another tenant).`;
      else if (e instanceof Unreachable) message.textContent = 'The server cannot be reached.';
      else if (!(e instanceof ApiError && e.status === 401)) message.textContent = 'Loading failed: ' + e.message;
      return;
    }
    // Replay the whole log (after=0), then follow it: the output arrives chunk by chunk.
    stream = openStream(path + '/events?after=0', (e) => {
      addEvent(e);
      if (e.type === 'output') output.append(document.createTextNode(chunkText(e.data)));
      else if (e.type === 'done') render(e.data);
      else scheduleRefresh();
    });
  })();

  return { dispose() { disposed = true; clearTimeout(refresh); if (stream) stream.close(); } };
}
