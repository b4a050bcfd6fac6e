/// Device list with server-side paging (docs/app-protocol.md §3): domain filter, online/offline
/// filter, debounced search, pages of 50, a live subscription (DevicesChanged) that survives a
/// reconnect by resuming from the last sequence number, and a stale marker.

import { h, clear, append, debounce } from './dom.js';
import { t, onLanguageChange, fmtNumber, resultError } from './i18n.js';

export const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 300;
const REFRESH_DEBOUNCE_MS = 1500;
const DOMAINS_DEBOUNCE_MS = 5000;

/** The QueryDevices request for a filter state (fields left out when not filtering). */
export function buildQuery({ domain, online, search, offset }, { resumeFrom } = {}) {
  const q = { mt: 'QueryDevices', offset: Math.max(0, offset | 0), limit: PAGE_SIZE, subscribe: true };
  if (domain) q.domain = domain;
  if (online === 'online') q.online = true;
  else if (online === 'offline') q.online = false;
  const s = (search || '').trim();
  if (s) q.search = s;
  if (resumeFrom !== undefined && resumeFrom !== null) q.resumeFrom = resumeFrom;
  return q;
}

/**
 * Apply one DevicesChanged to the current page. Returns {devices, total, structural} where
 * `structural` tells that rows were added or removed (so the page should be re-read for order).
 */
export function applyChanges(page, ev, limit = PAGE_SIZE) {
  let devices = page.devices.slice();
  let total = page.total;
  let structural = false;
  const byId = new Map(devices.map((d, i) => [d.id, i]));
  for (const d of Array.isArray(ev.changed) ? ev.changed : []) {
    if (d && byId.has(d.id)) devices[byId.get(d.id)] = d;
  }
  const removed = new Set((Array.isArray(ev.removed) ? ev.removed : []).map(String));
  if (removed.size) {
    devices = devices.filter((d) => !removed.has(String(d.id)));
    total = Math.max(0, total - removed.size);
    structural = true;
  }
  const added = (Array.isArray(ev.added) ? ev.added : []).filter((d) => d && d.id !== undefined);
  if (added.length) {
    const present = new Set(devices.map((d) => d.id));
    for (const d of added) {
      if (present.has(d.id)) continue;
      total += 1;
      if (devices.length < limit && page.offset + devices.length >= total - 1) devices.push(d);
    }
    structural = true;
  }
  return { devices, total, structural };
}

/**
 * The sequence number to hold after a QueryDevicesResult. A resumed page keeps ours: the missed
 * DevicesChanged follow it with numbers above ours (up to the page's `seq`) and must not be taken
 * for already applied. A fresh page starts from its own `seq`.
 */
export function seqAfterPage(current, m, resume) {
  if (resume && m.resumed === true && current !== null) return current;
  return typeof m.seq === 'number' ? m.seq : current;
}

export class DeviceList {
  /**
   * @param {HTMLElement} host
   * @param {{conn:import('./connection.js').Connection, onSelect:(dev:object)=>void}} o
   */
  constructor(host, { conn, onSelect }) {
    this.host = host;
    this.conn = conn;
    this.onSelect = onSelect;
    this.filter = { domain: '', online: 'all', search: '', offset: 0 };
    this.page = { devices: [], total: 0, offset: 0 };
    this.domains = [];
    this.seq = null;
    this.sub = null;
    this.selectedId = null;
    this.loading = false;
    this.error = null;
    this.reconnecting = false;  // the device registry is restarting: rows kept, a retry is due
    this.retryTimer = null;
    this.queried = false;     // nothing to say about an empty list before the first query
    this._build();
    this.refreshSoon = debounce(() => this.query(), REFRESH_DEBOUNCE_MS);
    this.domainsSoon = debounce(() => this.loadDomains(), DOMAINS_DEBOUNCE_MS);
    this.searchSoon = debounce(() => { this.filter.offset = 0; this.query(); }, SEARCH_DEBOUNCE_MS);
    this.offLang = onLanguageChange(() => { this._relabel(); this._renderDomains(); this._renderList(); });
  }

  /** After login: domains, then the page (resumed if we had a subscription before). */
  start() {
    this.loadDomains();
    this.query({ resume: this.seq !== null });
  }

  /** Connection lost: the subscription is gone; keep the rows and the seq for resuming. */
  stop() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.sub) { this.sub.close(); this.sub = null; }
    this.refreshSoon.cancel();
    this.domainsSoon.cancel();
  }

  async loadDomains() {
    try {
      const r = await this.conn.request({ mt: 'GetDomains' });
      if (!r.error && Array.isArray(r.domains)) { this.domains = r.domains; this._renderDomains(); }
    } catch (_) { /* shown by the connection state */ }
  }

  /** (Re)subscribe to the page of the current filter. */
  query({ resume = false } = {}) {
    if (this.sub) {
      // One list subscription per client: end the old one before the new query.
      this.sub.close();
      this.sub = null;
      this.conn.request({ mt: 'Unsubscribe' }).catch(() => {});
    }
    this.refreshSoon.cancel();
    const msg = buildQuery(this.filter, { resumeFrom: resume ? this.seq : undefined });
    this.queried = true;
    this.loading = true;
    this.error = null;
    this._renderStatus();
    const sub = this.conn.subscribe(msg, (m) => this._onMessage(sub, m, resume));
    this.sub = sub;
    if (!sub) { this.loading = false; this._renderStatus(); }
  }

  _onMessage(sub, m, resume) {
    if (sub !== this.sub) return;               // an answer to a query we replaced
    if (m.mt === 'DevicesUnavailable') {
      // The registry went away under a live subscription: the gateway renews it by itself when the
      // registry is back (a fresh QueryDevicesResult on this src); until then the rows stay, marked.
      this._reconnecting(null);
      return;
    }
    if (m.mt === 'QueryDevicesResult') {
      this.loading = false;
      if (m.error === 'SERVICE_UNAVAILABLE') { this._reconnecting(m.retryAfterMs); return; }
      this._clearReconnecting();
      if (m.error) { this.error = resultError(m); this._renderStatus(); return; }
      this.seq = seqAfterPage(this.seq, m, resume);
      if (resume && m.resumed === true && !(Array.isArray(m.devices) && m.devices.length)) {
        // Resumed: our rows are still right; the missed DevicesChanged follow.
        if (typeof m.total === 'number') this.page.total = m.total;
      } else {
        this.page = {
          devices: Array.isArray(m.devices) ? m.devices.filter((d) => d && d.id !== undefined) : [],
          total: typeof m.total === 'number' ? m.total : 0,
          offset: typeof m.offset === 'number' ? m.offset : this.filter.offset,
        };
        this.filter.offset = this.page.offset;
        if (!this.page.devices.length && this.page.total > 0 && this.page.offset >= this.page.total) {
          // The page ran past the end (devices went away): step back to the last page.
          this.filter.offset = Math.max(0, Math.floor((this.page.total - 1) / PAGE_SIZE) * PAGE_SIZE);
          this.query();
          return;
        }
      }
      this._renderList();
      return;
    }
    if (m.mt === 'DevicesChanged') {
      if (typeof m.seq === 'number') {
        if (this.seq !== null && m.seq <= this.seq) return;   // already applied (resume overlap)
        this.seq = m.seq;
      }
      const r = applyChanges(this.page, m);
      this.page = { ...this.page, devices: r.devices, total: r.total };
      this._renderList();
      if (r.structural) this.refreshSoon();
      this.domainsSoon();
    }
  }

  /**
   * The device registry is restarting: say so, keep the rows (marked), and when `retryAfterMs` is
   * given (our query was refused) ask again after it; null: the gateway re-subscribes by itself.
   */
  _reconnecting(retryAfterMs) {
    this.reconnecting = true;
    this.listEl.dataset.reconnecting = 'true';
    this._renderStatus();
    if (retryAfterMs === null || this.retryTimer) return;
    const wait = Math.min(Math.max(Number(retryAfterMs) || 1000, 250), 30000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.reconnecting) this.query({ resume: this.seq !== null });
    }, wait);
  }

  _clearReconnecting() {
    if (!this.reconnecting) return;
    this.reconnecting = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    delete this.listEl.dataset.reconnecting;
  }

  /** Mark a device as selected (also when chosen elsewhere). */
  select(id) {
    this.selectedId = id;
    for (const b of this.listEl.querySelectorAll('button.device')) {
      if (b.dataset.device === id) b.setAttribute('aria-current', 'true'); else b.removeAttribute('aria-current');
    }
  }

  // ---- view ----------------------------------------------------------------------------------

  _build() {
    this.domainSel = h('select', { id: 'dl-domain', on: { change: (e) => { this.filter.domain = e.target.value; this.filter.offset = 0; this.query(); } } });
    this.onlineSel = h('select', { id: 'dl-online', on: { change: (e) => { this.filter.online = e.target.value; this.filter.offset = 0; this.query(); } } });
    this.searchInput = h('input', {
      id: 'dl-search', type: 'search', autocomplete: 'off', spellcheck: false, maxLength: 100,
      on: { input: (e) => { this.filter.search = e.target.value; this.searchSoon(); }, keydown: (e) => { if (e.key === 'Enter') { this.searchSoon.cancel(); this.filter.offset = 0; this.query(); } } },
    });
    this.statusEl = h('div', { class: 'dl-status', attrs: { 'aria-live': 'polite' } });
    this.listEl = h('ul', { class: 'device-list' });
    this.prevBtn = h('button', { type: 'button', class: 'icon-btn', text: '‹', on: { click: () => this._page(-1) } });
    this.nextBtn = h('button', { type: 'button', class: 'icon-btn', text: '›', on: { click: () => this._page(1) } });
    this.rangeEl = h('span', { class: 'dl-range' });
    this.titleEl = h('h2', { id: 'devices-title' });
    this.lblDomain = h('label', { attrs: { for: 'dl-domain' } });
    this.lblOnline = h('label', { attrs: { for: 'dl-online' } });
    this.lblSearch = h('label', { attrs: { for: 'dl-search' } });
    clear(this.host).append(
      this.titleEl,
      h('div', { class: 'filters' },
        h('div', { class: 'field' }, this.lblDomain, this.domainSel),
        h('div', { class: 'field' }, this.lblOnline, this.onlineSel),
        h('div', { class: 'field' }, this.lblSearch, this.searchInput)),
      this.statusEl,
      this.listEl,
      h('div', { class: 'pager' }, this.prevBtn, this.rangeEl, this.nextBtn),
    );
    this._relabel();
    this._renderDomains();
    this._renderList();
  }

  _relabel() {
    this.titleEl.textContent = t('devices.title');
    this.lblDomain.textContent = t('devices.domain');
    this.lblOnline.textContent = t('devices.filter');
    this.lblSearch.textContent = t('devices.search');
    this.searchInput.placeholder = t('devices.searchPlaceholder');
    this.prevBtn.setAttribute('aria-label', t('devices.prev'));
    this.prevBtn.title = t('devices.prev');
    this.nextBtn.setAttribute('aria-label', t('devices.next'));
    this.nextBtn.title = t('devices.next');
    const v = this.filter.online;
    clear(this.onlineSel).append(
      h('option', { value: 'all', text: t('devices.filterAll'), selected: v === 'all' }),
      h('option', { value: 'online', text: t('devices.filterOnline'), selected: v === 'online' }),
      h('option', { value: 'offline', text: t('devices.filterOffline'), selected: v === 'offline' }));
  }

  _renderDomains() {
    const cur = this.filter.domain;
    append(clear(this.domainSel), [
      h('option', { value: '', text: t('devices.allDomains') }),
      this.domains.filter((d) => d && d.id !== undefined).map((d) => {
        let text = t('devices.domainOption', { name: d.name || d.id, online: fmtNumber(d.online ?? 0), total: fmtNumber(d.total ?? 0) });
        if (d.stale) text = t('devices.domainStale', { name: text });
        return h('option', { value: String(d.id), text, selected: String(d.id) === cur });
      })]);
  }

  _renderStatus() {
    if (this.reconnecting) {
      this.statusEl.textContent = t('devices.reconnecting');
      this.statusEl.dataset.kind = 'warn';
      return;
    }
    if (this.error) this.statusEl.textContent = t('devices.error', { reason: this.error });
    else if (this.loading && !this.page.devices.length) this.statusEl.textContent = t('devices.loading');
    else if (!this.loading && !this.page.devices.length && this.queried) this.statusEl.textContent = t('devices.none');
    else this.statusEl.textContent = '';
    this.statusEl.dataset.kind = this.error ? 'error' : '';
  }

  _renderList() {
    const { devices, total, offset } = this.page;
    clear(this.listEl);
    this.listEl.setAttribute('aria-label', t('devices.listLabel', { page: Math.floor(offset / PAGE_SIZE) + 1 }));
    for (const d of devices) this.listEl.appendChild(this._row(d));
    const from = devices.length ? offset + 1 : 0;
    this.rangeEl.textContent = t('devices.range', { from: fmtNumber(from), to: fmtNumber(offset + devices.length), total: fmtNumber(total) });
    this.prevBtn.disabled = offset <= 0;
    this.nextBtn.disabled = offset + PAGE_SIZE >= total;
    this._renderStatus();
  }

  _row(d) {
    const online = !!d.online;
    const unsupported = d.supported === false;
    const meta = [d.product, d.ip, d.hwId, d.version].filter(Boolean).join(' · ');
    const b = h('button', {
      type: 'button',
      class: `device${online ? ' online' : ' offline'}${unsupported ? ' unsupported' : ''}${d.stale ? ' stale' : ''}`,
      attrs: { 'data-device': String(d.id), 'aria-current': this.selectedId === d.id ? 'true' : null },
      title: unsupported && d.reason ? `${t('devices.unsupported')}: ${d.reason}` : (d.stale ? t('devices.staleTitle') : ''),
      on: { click: () => { this.select(d.id); this.onSelect(d); } },
    },
    h('span', { class: 'dot', attrs: { 'aria-label': t(online ? 'devices.online' : 'devices.offline'), role: 'img' } }),
    h('span', { class: 'dev-main' },
      h('span', { class: 'dev-name', text: d.name || d.hwId || String(d.id) }),
      h('span', { class: 'dev-meta', text: meta })),
    d.stale ? h('span', { class: 'badge stale', text: t('devices.stale') }) : null,
    unsupported ? h('span', { class: 'badge unsupported', text: t('devices.unsupported') }) : null);
    return h('li', {}, b);
  }

  _page(dir) {
    const next = this.filter.offset + dir * PAGE_SIZE;
    if (next < 0 || next >= Math.max(this.page.total, 1)) return;
    this.filter.offset = next;
    this.query();
  }

  /** The row object of a device on the current page. */
  find(id) { return this.page.devices.find((d) => d.id === id) || null; }

  destroy() { this.stop(); this.offLang(); clear(this.host); }
}
