// Calls the Longhaul API with the key kept in this tab's sessionStorage only (never in a URL, never in localStorage).
const KEY = 'longhaul.api_key';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** Thrown when the server cannot be reached at all (network error). */
export class Unreachable extends Error {}

export const auth = {
  get key() { return sessionStorage.getItem(KEY); },
  set(key) { sessionStorage.setItem(KEY, key); },
  clear() { sessionStorage.removeItem(KEY); },
  signedIn() { return sessionStorage.getItem(KEY) !== null; },
  headers() {
    const key = sessionStorage.getItem(KEY);
    return key ? { Authorization: 'Bearer ' + key } : {};
  },
};

const listeners = { unauthorized: [], reachable: [] };
export function on(event, fn) { listeners[event].push(fn); }
function emit(event, arg) { for (const fn of listeners[event]) fn(arg); }

export async function request(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json', ...auth.headers(), ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    emit('reachable', false);
    throw new Unreachable('The server cannot be reached.');
  }
  emit('reachable', true);
  if (response.status === 204) return null;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    if (response.status === 401) emit('unauthorized');
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path) => request('GET', path);
export const post = (path, body, headers) => request('POST', path, body, headers);
export const del = (path) => request('DELETE', path);

/** Downloads an operation file with the key in a header, then hands it to the browser as a blob. */
export async function download(path, name) {
  let response;
  try {
    response = await fetch(path, { headers: auth.headers(), cache: 'no-store' });
  } catch {
    emit('reachable', false);
    throw new Unreachable('The server cannot be reached.');
  }
  if (!response.ok) {
    if (response.status === 401) emit('unauthorized');
    throw new ApiError(response.status, null);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
