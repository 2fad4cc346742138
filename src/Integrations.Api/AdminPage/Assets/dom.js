// Building DOM from data without ever parsing data as markup: every value becomes a text node or a property, never HTML.
// Attribute names come from this page's code only, never from data.

/** Creates an element: props are attributes (strings), properties (other values) or listeners (on…); children are nodes or text. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (typeof value === 'string') el.setAttribute(key, value);
    else if (value === true) el.setAttribute(key, '');
    else el[key] = value;
  }
  append(el, children);
  return el;
}

/** Appends nodes and text (arrays flattened; null, undefined and false skipped). */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children (null, undefined and false skipped: the DOM's own replaceChildren would print them). */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export const byId = (id) => document.getElementById(id);

/** A time as "2026-12-01 03:04:05 UTC" (the hub's times are UTC), or "never". */
export function time(value) {
  if (!value) return 'never';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A definition list of label → value pairs (values as text). */
export function meta(pairs) {
  return h('dl', { class: 'meta' }, pairs.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value ?? '—'))));
}

/** A badge: tone is ok, warn, bad or neutral. */
export function badge(text, tone, role) {
  return h('span', { class: `badge ${tone}`, dataset: role ? { badge: role } : undefined, title: role ?? undefined }, text);
}

/** Runs an async click handler with the button disabled meanwhile. */
export function busy(button, action) {
  return async (event) => {
    event?.preventDefault?.();
    button.disabled = true;
    try { await action(); } finally { button.disabled = false; }
  };
}
