// The operations page: overview, filters, search by id, bulk actions, and the table (cursor pages, live updates
// from one tenant-wide event stream per page).
import { get, post, ApiError, Unreachable } from './api.js';
import { h, clear, opLink, keepFocus } from './dom.js';
import { openStream } from './stream.js';
import { STATUSES, time, duration, percentOf, rate, eta, number } from './format.js';
import { renderOverview } from './overview.js';
import { renderBulk } from './bulk.js';

// Filters survive navigating to a detail view and back (memory only, never in the URL).
const state = { statuses: [], kind: '', after: '', before: '', metadata: '', pageSize: 25 };
const samples = new Map(); // id -> first and last progress observation, for the rate

function parseMetadata(text) {
  const pairs = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`Metadata filter "${t}" is not name=value.`);
    pairs.push([t.slice(0, eq).trim(), t.slice(eq + 1).trim()]);
  }
  return pairs;
}

function isoOf(local) {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The query string of the list filters; withStatus false for the event stream (which must see rows leave a status). */
function query(withStatus) {
  const q = new URLSearchParams();
  if (withStatus && state.statuses.length) q.set('status', state.statuses.join(','));
  if (state.kind) q.set('kind', state.kind);
  const after = isoOf(state.after), before = isoOf(state.before);
  if (after) q.set('created_after', after);
  if (before) q.set('created_before', before);
  for (const [k, v] of parseMetadata(state.metadata)) q.set('metadata.' + k, v);
  return q;
}

export function renderList(main) {
  const disposers = [];
  const overviewBox = h('section', { class: 'overview', 'aria-label': 'Overview' });
  main.append(overviewBox);
  const overview = renderOverview(overviewBox);
  disposers.push(overview);

  const tbody = h('tbody', { id: 'ops-body' });
  const status = h('p', { class: 'list-state', role: 'status' });
  const count = h('span', { id: 'total-count', class: 'muted' });
  const pager = { tokens: [null], index: 0, next: null };
  const prevBtn = h('button', { type: 'button', id: 'prev-page', onclick: () => { pager.index--; load(); } }, '← Newer');
  const nextBtn = h('button', { type: 'button', id: 'next-page', onclick: () => { pager.tokens[pager.index + 1] = pager.next; pager.index++; load(); } }, 'Older →');
  let stream = null;
  let total = null; // { count, exact } of the last load, kept current as live rows arrive
  let newest = null; // created_at of the newest operation when the first page loaded: older ones belong to other pages
  let loads = 0; // the newest load: an answer to an older one (other filters, another page) is dropped

  function showCount() {
    count.textContent = total === null ? '' : `(${total.count}${total.exact ? '' : '+'} matching)`;
  }

  main.append(filtersForm(), searchForm());
  disposers.push(renderBulk(main, () => {
    const bulk = {};
    if (state.statuses.length) bulk.status = state.statuses.join(',');
    if (state.kind) bulk.kind = state.kind;
    if (isoOf(state.after)) bulk.created_after = isoOf(state.after);
    if (isoOf(state.before)) bulk.created_before = isoOf(state.before);
    const md = parseMetadata(state.metadata);
    if (md.length) bulk.metadata = Object.fromEntries(md);
    return { bulk, describe: query(true).toString().replaceAll('&', ', ') || 'no filter' };
  }));
  main.append(
    h('table', { class: 'ops', id: 'ops' },
      h('caption', {}, 'Operations, newest first ', count),
      h('thead', {}, h('tr', {}, ...['id', 'kind', 'status', 'progress', 'created', 'updated', ''].map((c) => h('th', { scope: 'col' }, c)))),
      tbody),
    status,
    h('div', { class: 'pager' }, prevBtn, ' ', nextBtn));

  function filtersForm() {
    const boxes = STATUSES.map((s) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'status', value: s, checked: state.statuses.includes(s) }), ' ', s));
    const kind = h('select', { id: 'f-kind', name: 'kind' }, h('option', { value: '' }, 'any kind'));
    get('/v1/kinds').then((k) => {
      for (const name of k.kinds.map((x) => x.name)) kind.append(h('option', { value: name, selected: name === state.kind }, name));
    }).catch(() => {});
    const after = h('input', { id: 'f-after', type: 'datetime-local', step: 1, value: state.after });
    const before = h('input', { id: 'f-before', type: 'datetime-local', step: 1, value: state.before });
    const metadata = h('input', { id: 'f-metadata', type: 'text', placeholder: 'customer=acme, region=eu', value: state.metadata, size: 28 });
    const error = h('span', { class: 'error', role: 'alert' });
    return h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: (e) => {
      e.preventDefault();
      state.statuses = boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value);
      state.kind = kind.value;
      state.after = after.value;
      state.before = before.value;
      state.metadata = metadata.value;
      try { parseMetadata(state.metadata); error.textContent = ''; } catch (err) { error.textContent = err.message; return; }
      pager.tokens = [null];
      pager.index = 0;
      load();
      follow();
    } },
      h('fieldset', {}, h('legend', {}, 'Status'), ...boxes),
      h('label', { for: 'f-kind' }, 'Kind '), kind, ' ',
      h('label', { for: 'f-after' }, 'Created after '), after, ' ',
      h('label', { for: 'f-before' }, 'before '), before, ' ',
      h('label', { for: 'f-metadata' }, 'Metadata '), metadata, ' ',
      h('button', { type: 'submit', id: 'apply-filters' }, 'Apply'), ' ', error);
  }

  function searchForm() {
    const input = h('input', { id: 'search-id', type: 'search', placeholder: 'op_…', size: 32, autocomplete: 'off' });
    return h('form', { class: 'search', role: 'search', onsubmit: (e) => {
      e.preventDefault();
      const id = input.value.trim();
      if (id) location.hash = '#/op/' + encodeURIComponent(id);
    } }, h('label', { for: 'search-id' }, 'Go to operation '), input, ' ', h('button', { type: 'submit' }, 'Open'));
  }

  function matches(op) {
    return state.statuses.length === 0 || state.statuses.includes(op.status);
  }

  function progressCell(op) {
    const pct = percentOf(op);
    const p = op.progress || {};
    const bits = [];
    if (pct !== null) bits.push(number(pct) + ' %');
    const s = samples.get(op.id);
    const r = s ? rate(s.first, s.last) : null;
    if (r !== null && r > 0 && !op.done) bits.push(`${number(r)} ${p.unit || ''}/s`.replace(' /s', '/s'));
    const left = eta(op);
    if (left !== null) bits.push('ETA ' + duration(left));
    if (p.message) bits.push(p.message);
    return h('td', { class: 'progress-cell' },
      pct === null ? (op.status === 'running' ? h('progress', { 'aria-label': 'progress of ' + op.id }) : '')
        : h('progress', { max: 100, value: pct, 'aria-label': 'progress of ' + op.id }),
      h('span', { class: 'progress-text' }, bits.join(' · ')));
  }

  function row(op) {
    observe(op);
    const actions = h('td', {});
    if (!op.done) {
      actions.append(h('button', { type: 'button', class: 'row-cancel', 'data-focus': 'cancel', 'aria-label': 'Cancel ' + op.id, onclick: async () => {
        try { update(await post(`/v1/operations/${encodeURIComponent(op.id)}/cancel`)); } catch (e) { status.textContent = 'Cancel failed: ' + e.message; }
      } }, 'Cancel'));
    }
    return h('tr', { 'data-id': op.id, 'data-status': op.status },
      h('td', {}, opLink(op.id)), h('td', {}, op.kind),
      h('td', {}, h('span', { class: 'status status-' + op.status }, op.status + (op.cancel_requested && !op.done ? ' (stopping)' : ''))),
      progressCell(op), h('td', {}, time(op.created_at)), h('td', {}, time(op.updated_at)), actions);
  }

  function observe(op) {
    const current = op.progress && typeof op.progress.current === 'number' ? { value: op.progress.current, at: Date.now() } : null;
    if (!current) return;
    const s = samples.get(op.id);
    if (!s || current.value < s.last.value) samples.set(op.id, { first: current, last: current });
    else if (current.value !== s.last.value) s.last = current;
  }

  function update(op) {
    const existing = tbody.querySelector(`tr[data-id="${CSS.escape(op.id)}"]`);
    if (existing) {
      // A live update replaces the row; the keyboard focus stays in it (on the id once Cancel is gone).
      keepFocus(existing, () => {
        const r = row(op);
        existing.replaceWith(r);
        return r;
      }, (r) => r.querySelector('[data-focus="link"]'));
    } else if (pager.index === 0 && matches(op) && (newest === null || op.created_at > newest)) {
      // A new operation: insert it by creation time (newest first).
      const rows = [...tbody.querySelectorAll('tr[data-id]')];
      const newer = rows.filter((r) => r.dataset.created > op.created_at);
      const r = row(op);
      r.dataset.created = op.created_at;
      if (newer.length) newer[newer.length - 1].after(r); else tbody.prepend(r);
      const empty = tbody.querySelector('tr.empty');
      if (empty) empty.remove();
      if (total !== null) { total.count++; showCount(); }
      status.textContent = '';
      return;
    }
    const fresh = tbody.querySelector(`tr[data-id="${CSS.escape(op.id)}"]`);
    if (fresh) fresh.dataset.created = op.created_at;
  }

  async function load() {
    let q;
    try { q = query(true); } catch (e) { status.textContent = e.message; return; }
    q.set('page_size', String(state.pageSize));
    q.set('count', 'true');
    const token = pager.tokens[pager.index];
    if (token) q.set('page_token', token);
    status.textContent = 'Loading…';
    const generation = ++loads;
    try {
      const page = await get('/v1/operations?' + q.toString());
      if (generation !== loads) return;
      clear(tbody);
      newest = page.operations.length ? page.operations[0].created_at : null;
      for (const op of page.operations) {
        const r = row(op);
        r.dataset.created = op.created_at;
        tbody.append(r);
      }
      pager.next = page.next_page_token;
      prevBtn.disabled = pager.index === 0;
      nextBtn.disabled = !page.next_page_token;
      total = page.total_count === undefined ? null : { count: page.total_count, exact: page.total_count_exact };
      showCount();
      status.textContent = '';
      if (page.operations.length === 0) {
        const filtered = query(true).toString() !== '';
        tbody.append(h('tr', { class: 'empty' }, h('td', { colspan: 7 },
          page.next_page_token ? 'No matches among the operations examined for this page; older ones remain (Older →).'
            : filtered ? 'No operations match these filters.' : 'No operations yet. Start one with POST /v1/operations; it appears here at once.')));
      }
    } catch (e) {
      if (generation !== loads) return;
      if (e instanceof Unreachable) status.textContent = 'The server cannot be reached. The list will load when it answers again.';
      else if (!(e instanceof ApiError && e.status === 401)) status.textContent = 'The list failed to load: ' + e.message;
    }
  }

  function follow() {
    if (stream) stream.close();
    let q;
    try { q = query(false); } catch { return; }
    stream = openStream('/v1/events?' + q.toString(), (e) => {
      if (e.type !== 'operation') return;
      update(e.data);
      overview.poke();
    }, { onState: (s) => { main.dataset.live = s; } });
  }

  load();
  follow();
  return { dispose() { if (stream) stream.close(); for (const d of disposers) d.dispose(); } };
}
