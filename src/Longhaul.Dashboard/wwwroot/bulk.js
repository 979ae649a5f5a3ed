// Bulk cancel/delete by filter: starts a `bulk` operation and follows its progress on its own event stream.
import { post, get } from './api.js';
import { h, clear, opLink } from './dom.js';
import { confirmDialog } from './confirm.js';
import { openStream } from './stream.js';
import { percentOf } from './format.js';

export function renderBulk(container, currentFilter) {
  let stream = null;
  const panel = h('div', { class: 'bulk-progress', 'aria-live': 'polite' });

  async function start(action) {
    const filter = currentFilter();
    const input = { action, ...filter.bulk };
    if (Object.keys(input).length === 1) {
      show(h('p', { class: 'error', role: 'alert' }, 'Set at least one filter first: a bulk action never applies to everything at once.'));
      return;
    }
    const verb = action === 'cancel' ? 'Cancel' : 'Delete';
    if (!await confirmDialog(`${verb} every operation matching the current filters (${filter.describe})?`, verb + ' all')) return;
    try {
      const op = await post('/v1/operations', { kind: 'bulk', input, options: { priority: 100 } }, { 'Idempotency-Key': 'ui-' + crypto.randomUUID() });
      follow(op);
    } catch (e) {
      show(h('p', { class: 'error', role: 'alert' }, 'The bulk action was refused: ' + e.message));
    }
  }

  function show(...nodes) {
    clear(panel).append(...nodes);
  }

  function render(op) {
    const pct = percentOf(op);
    const p = op.progress || {};
    const result = op.result;
    show(
      h('span', {}, `Bulk ${op.status}: `), opLink(op.id), ' ',
      h('progress', { class: 'bulk-bar', max: 100, value: pct ?? 0, 'aria-label': 'bulk progress' }), ' ',
      h('span', { class: 'bulk-text' },
        result ? `${result.affected} ${result.action === 'cancel' ? 'cancelled' : 'deleted'}, ${result.skipped} skipped of ${result.matched}`
          : `${p.current ?? 0} of ${p.total ?? '?'} examined${p.message ? ' (' + p.message + ')' : ''}`));
  }

  function follow(op) {
    if (stream) stream.close();
    render(op);
    stream = openStream(`/v1/operations/${encodeURIComponent(op.id)}/events`, async (e) => {
      if (e.type === 'snapshot' || e.type === 'done') render(e.data);
      else if (e.type === 'progress' || e.type === 'status') {
        try { render(await get(`/v1/operations/${encodeURIComponent(op.id)}`)); } catch { /* banner */ }
      }
    });
  }

  container.append(
    h('div', { class: 'bulk' },
      h('button', { type: 'button', id: 'bulk-cancel', onclick: () => start('cancel') }, 'Cancel all matching…'), ' ',
      h('button', { type: 'button', id: 'bulk-delete', onclick: () => start('delete') }, 'Delete all matching…'),
      panel));
  return { dispose() { if (stream) stream.close(); } };
}
