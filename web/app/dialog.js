/// Modal dialogs (<dialog>) and short notices (toast), shared by the menu views and actions.

import { h, clear, append } from './dom.js';
import { t } from './i18n.js';

let current = null;

/**
 * Open a modal dialog. `body` is a node (or array of nodes); `buttons` default to one Close.
 * Returns {el, body, close(), setBody(nodes)}.
 */
export function openDialog({ title, body, buttons, onClose, wide = false }) {
  if (current) current.close();
  const bodyEl = h('div', { class: 'dialog-body' }, body || []);
  const titleId = `dlg-title-${Date.now()}`;
  const el = h('dialog', { class: `dialog${wide ? ' wide' : ''}`, attrs: { 'aria-labelledby': titleId } });
  const close = () => {
    if (current && current.el === el) current = null;
    if (el.open) { try { el.close(); } catch (_) { /* already closed */ } }
    el.remove();
    if (onClose) onClose();
  };
  const btns = (buttons || [{ label: t('dialog.close'), primary: true }]).map((b) => h('button', {
    type: 'button',
    class: b.primary ? 'primary' : '',
    text: b.label,
    on: { click: async () => { if (b.onClick) { const keep = await b.onClick(); if (keep === true) return; } close(); } },
  }));
  el.append(
    h('header', {}, h('h2', { id: titleId, text: title }),
      h('button', { type: 'button', class: 'icon-btn', text: '×', attrs: { 'aria-label': t('dialog.close') }, on: { click: close } })),
    bodyEl,
    h('footer', {}, btns),
  );
  el.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  document.body.appendChild(el);
  if (typeof el.showModal === 'function') el.showModal(); else el.setAttribute('open', '');
  const api = { el, body: bodyEl, close, setBody: (nodes) => { append(clear(bodyEl), [nodes]); } };
  current = api;
  return api;
}

/** Ask yes/no; resolves true on OK. */
export function confirmDialog(title, text) {
  return new Promise((resolve) => {
    let answered = false;
    openDialog({
      title,
      body: h('p', { text }),
      buttons: [
        { label: t('dialog.cancel'), onClick: () => { answered = true; resolve(false); } },
        { label: t('dialog.ok'), primary: true, onClick: () => { answered = true; resolve(true); } },
      ],
      onClose: () => { if (!answered) resolve(false); },
    });
  });
}

let toastTimer = null;
/** A short notice at the bottom of the page (role=status, so screen readers announce it). */
export function toast(text, kind = 'info') {
  let el = document.getElementById('toast');
  if (!el) {
    el = h('div', { id: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
    document.body.appendChild(el);
  }
  el.textContent = text;
  el.dataset.kind = kind;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), kind === 'error' ? 8000 : 4000);
}

/** A table from rows of cells; `cols` are i18n keys of the headers. */
export function table(cols, rows) {
  if (!rows.length) return h('p', { class: 'empty', text: t('status.empty') });
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { attrs: { scope: 'col' }, text: t(c) })))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c === undefined || c === null ? '' : (c instanceof Node ? c : String(c)))))))));
}
