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
  return h('a', { href: '#/op/' + encodeURIComponent(id), class: 'mono' }, id);
}
