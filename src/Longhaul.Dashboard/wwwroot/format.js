// Formatting of times, durations, rates and statuses.
export const STATUSES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'];

export function time(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

export function duration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

export function percentOf(op) {
  const p = op.progress;
  if (!p) return op.status === 'succeeded' ? 100 : null;
  if (typeof p.percent === 'number') return Math.max(0, Math.min(100, p.percent));
  if (typeof p.current === 'number' && typeof p.total === 'number' && p.total > 0) return Math.max(0, Math.min(100, 100 * p.current / p.total));
  return null;
}

/** Rate from two observations of progress.current (per second), or null. */
export function rate(previous, current) {
  if (!previous || !current) return null;
  const dt = (current.at - previous.at) / 1000;
  const dv = current.value - previous.value;
  return dt > 0 && dv >= 0 ? dv / dt : null;
}

export function eta(op, now = Date.now()) {
  if (!op.estimated_completion || op.done) return null;
  const left = (new Date(op.estimated_completion).getTime() - now) / 1000;
  return Number.isFinite(left) ? Math.max(0, left) : null;
}

export function number(n, digits = 1) {
  if (!Number.isFinite(n)) return '';
  return n >= 100 ? String(Math.round(n)) : n.toFixed(digits);
}
