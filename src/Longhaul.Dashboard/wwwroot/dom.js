// Builds DOM nodes. Text is always set as text (never parsed as HTML): operation input, metadata and output are
// attacker-controlled, so nothing here ever assigns innerHTML.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.className = value;
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** A link inside the app to an operation's detail view; the id is encoded, never interpreted. */
export function opLink(id) {
  return h('a', { href: '#/op/' + encodeURIComponent(id), class: 'mono', 'data-focus': 'link' }, id);
}

/**
 * Re-renders part of the page without losing the keyboard focus: the focused element's data-focus key is looked up
 * in the new content and focused again; if it is gone (a Cancel button once the operation ended), the fallback.
 */
export function keepFocus(container, rerender, fallback) {
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && container.contains(active);
  const key = inside ? active.dataset.focus : undefined;
  const result = rerender();
  if (inside && !active.isConnected) {
    const scope = result instanceof Element ? result : container;
    const again = key ? scope.querySelector(`[data-focus="${CSS.escape(key)}"]`) : null;
    const target = again || (typeof fallback === 'function' ? fallback(scope) : fallback);
    if (target) target.focus({ preventScroll: true });
  }
  return result;
}
