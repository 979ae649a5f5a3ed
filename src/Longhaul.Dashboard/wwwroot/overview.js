// The overview panel: counts by status and kind, throughput and failure rate over the last hour, queue depth.
import { get } from './api.js';
import { h, clear } from './dom.js';
import { STATUSES, number } from './format.js';

export function renderOverview(container) {
  let timer = null;
  let pending = null;
  let disposed = false;

  async function load() {
    try {
      const o = await get('/v1/overview');
      if (disposed) return;
      clear(container);
      container.append(
        h('h2', {}, 'Overview'),
        h('div', { class: 'cards' },
          ...STATUSES.map((s) => h('div', { class: 'card card-' + s, 'data-status': s },
            h('span', { class: 'card-n' }, String(o.by_status[s] ?? 0)), h('span', {}, s))),
          h('div', { class: 'card' }, h('span', { class: 'card-n', id: 'queue-depth' }, String(o.queue_depth)), h('span', {}, 'queue depth')),
          h('div', { class: 'card' }, h('span', { class: 'card-n' }, number(o.throughput_per_minute, 2)), h('span', {}, 'finished / min (1 h)')),
          h('div', { class: 'card' }, h('span', { class: 'card-n' }, o.failure_rate === null ? '–' : number(100 * o.failure_rate) + ' %'), h('span', {}, 'failure rate (1 h)'))),
        o.by_kind.length === 0 ? h('p', { class: 'muted' }, 'No operations running, queued or finished in the last hour.') :
          h('table', { class: 'kinds' },
            h('caption', {}, 'By kind (pending and running: all; final states: last hour)'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'kind'), ...STATUSES.map((s) => h('th', { scope: 'col' }, s)))),
            h('tbody', {}, ...o.by_kind.map((k) => h('tr', {}, h('th', { scope: 'row' }, k.kind), ...STATUSES.map((s) => h('td', {}, String(k.counts[s] ?? 0))))))));
    } catch {
      // The banner reports an unreachable server; a 401 goes back to sign-in.
    }
  }

  load();
  timer = setInterval(load, 10000);
  return {
    // Called on live changes: refresh at most once a second.
    poke() {
      if (pending) return;
      pending = setTimeout(() => { pending = null; load(); }, 1000);
    },
    dispose() { disposed = true; clearInterval(timer); clearTimeout(pending); },
  };
}
