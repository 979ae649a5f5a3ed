// The dashboard's entry point: sign-in, routing (#/ and #/op/{id}) and the connection banner.
import { auth, get, on, ApiError, Unreachable } from './api.js';
import { h, clear } from './dom.js';
import { renderList } from './list.js';
import { renderDetail } from './detail.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const signOut = document.getElementById('sign-out');
let current = null; // the view on screen: { dispose() }

function setBanner(text) {
  banner.textContent = text || '';
  banner.hidden = !text;
}

on('reachable', (ok) => setBanner(ok ? '' : 'The server cannot be reached. Retrying…'));
on('unauthorized', () => {
  auth.clear();
  showSignIn('Your API key was refused (401). Sign in again.');
});

function dispose() {
  if (current) current.dispose();
  current = null;
}

export function showSignIn(message) {
  dispose();
  signOut.hidden = true;
  clear(main);
  const input = h('input', { id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', size: 48 });
  const error = h('p', { class: 'error', role: 'alert' }, message || '');
  const form = h('form', { class: 'sign-in', onsubmit: async (e) => {
    e.preventDefault();
    auth.set(input.value.trim());
    try {
      await get('/v1/overview');
      route();
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) {
        auth.clear();
        error.textContent = err instanceof Unreachable ? 'The server cannot be reached.' : 'Sign-in failed: ' + err.message;
      }
    }
  } },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'Paste an API key (longhaul keys create). It is kept in this browser tab only (sessionStorage) and sent as a Bearer header.'),
    h('label', { for: 'api-key' }, 'API key'), ' ', input, ' ',
    h('button', { type: 'submit' }, 'Sign in'),
    error);
  main.append(form);
  input.focus();
}

function route() {
  if (!auth.signedIn()) {
    showSignIn();
    return;
  }
  dispose();
  signOut.hidden = false;
  clear(main);
  const hash = location.hash || '#/';
  const match = /^#\/op\/([^/?#]+)$/.exec(hash);
  current = match ? renderDetail(main, decodeURIComponent(match[1])) : renderList(main);
  main.focus({ preventScroll: true });
}

signOut.addEventListener('click', () => {
  auth.clear();
  showSignIn('Signed out.');
});
window.addEventListener('hashchange', route);
route();
