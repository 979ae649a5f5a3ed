// Server-Sent Events over fetch, so the API key travels in the Authorization header (EventSource cannot send
// headers, and a key in the URL would end up in logs). Reconnects with Last-Event-ID after an error.
import { auth } from './api.js';

export function openStream(path, onEvent, { onState = () => {}, lastEventId = null } = {}) {
  const controller = new AbortController();
  let last = lastEventId;
  let retry = 1000;
  let stopped = false;

  async function run() {
    while (!stopped) {
      try {
        const headers = { Accept: 'text/event-stream', ...auth.headers() };
        if (last !== null) headers['Last-Event-ID'] = String(last);
        const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 204) { onState('ended'); return; }
        if (response.status === 401) { onState('unauthorized'); return; }
        if (!response.ok || !response.body) { onState('error', response.status); if (response.status === 404) return; }
        else {
          onState('open');
          const ended = await read(response.body.getReader());
          if (stopped) return;
          if (ended) { onState('ended'); return; }
        }
      } catch (e) {
        if (stopped) return;
        onState('error');
      }
      await new Promise((resolve) => setTimeout(resolve, retry));
    }
  }

  // Returns true when the server ended the stream after a done event (nothing more will come).
  async function read(reader) {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { id: null, type: 'message', data: [] };
    let sawDone = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return sawDone;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data.length > 0) {
            if (event.id !== null) last = event.id;
            let data = null;
            try { data = JSON.parse(event.data.join('\n')); } catch { data = event.data.join('\n'); }
            if (event.type === 'done') sawDone = true;
            // A closed stream delivers nothing more, not even what its last read already held.
            if (stopped) return false;
            onEvent({ id: event.id, type: event.type, data });
          }
          event = { id: null, type: 'message', data: [] };
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const val = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') event.data.push(val);
        else if (field === 'event') event.type = val;
        else if (field === 'id') event.id = val;
        else if (field === 'retry' && /^\d+$/.test(val)) retry = Number(val);
      }
    }
  }

  run();
  return { close() { stopped = true; controller.abort(); } };
}
