/// Entry point of the myPhoneKeys app page. Reads the query arguments myApps passes
/// (`name`, `lang`, `scheme`) and either runs the live app over the AppWebsocket or, with
/// `?render=<product>`, the connection-less preview of one phone model.

import { initLanguage, setLanguage, t, onLanguageChange, getLanguage } from './i18n.js';
import { Connection, websocketUrl, APP_NAME } from './connection.js';
import { ConnStatus } from './conn-status.js';
import { DeviceList } from './device-list.js';
import { WatchController } from './watch.js';
import { Menu } from './menu.js';
import { KeyboardPanel, defaultLayout } from './keyboard.js';
import { loadKeyboards } from './models.js';
import { runPreview } from './preview.js';
import { Drawer } from './drawer.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

/** Preferences that are not secrets may outlive the page; storage can be blocked in iframes. */
const prefs = {
  get(k) { try { return localStorage.getItem(`mpk.${k}`); } catch (_) { return null; } },
  set(k, v) { try { localStorage.setItem(`mpk.${k}`, v); } catch (_) { /* not kept */ } },
};

function applyScheme(s) {
  if (s === 'dark' || s === 'light') document.documentElement.dataset.scheme = s;
}

function listenToMyApps() {
  // myApps (lib1) posts JSON strings to the app frame: language and colour scheme changes.
  window.addEventListener('message', (e) => {
    if (e.source !== window.parent || typeof e.data !== 'string') return;
    let o;
    try { o = JSON.parse(e.data); } catch (_) { return; }
    if (!o || typeof o !== 'object') return;
    if (o.mt === 'SetLang' && typeof o.lang === 'string') setLanguage(o.lang);
    else if (o.mt === 'SetScheme') applyScheme(o.scheme);
  });
}

/** The device list (or the preview's model list) as a drawer on narrow windows. */
const drawerOf = (open) => new Drawer({ button: $('drawer-button'), pane: $('device-pane'), backdrop: $('drawer-backdrop'), open });

function startPreview(product) {
  drawerOf(false);
  $('conn-state').dataset.kind = 'info';
  const setState = () => { $('conn-state').textContent = t('conn.preview'); };
  setState();
  onLanguageChange(setState);
  $('admin-ui').hidden = true;
  for (const el of document.querySelectorAll('.live-only')) el.hidden = true;
  $('preview-log-wrap').hidden = false;
  new Menu($('menu-button'), $('main-menu'), { conn: null, canTrace: () => false, watchedDevice: () => null, preview: true });
  runPreview(product, {
    title: $('phone-title'), message: $('phone-message'), stage: $('phone-stage'), panels: $('panels'),
    info: $('info'), keyboard: $('keyboard'), side: $('device-pane'), log: $('preview-log'),
    fkeys: $('fkeys'), fkeysPanel: $('fkeys-panel'),
  });
}

function startLive() {
  const inFrame = window.parent !== window;
  const conn = new Connection({ url: websocketUrl(location.href), appName: params.get('name') || APP_NAME, inFrame });
  const status = new ConnStatus($('conn-state'), $('login'), conn);
  const drawer = drawerOf(true);   // nothing watched yet: the list comes first
  let session = null;
  let keyboard = null;

  const watch = new WatchController({
    conn,
    els: {
      title: $('phone-title'), message: $('phone-message'), stage: $('phone-stage'), panels: $('panels'),
      regs: $('regs'), actions: $('actions'), info: $('info'), adminBtn: $('admin-ui'),
      fkeys: $('fkeys'), fkeysPanel: $('fkeys-panel'),
    },
    keyboard: () => keyboard,
  });
  const list = new DeviceList($('device-pane'), {
    conn,
    onSelect: (dev) => {
      watch.watchDevice(dev);
      drawer.close();
    },
  });
  const menu = new Menu($('menu-button'), $('main-menu'), {
    conn, canTrace: () => !!(session && session.canTrace), isOperator: () => !!(session && session.operator), watchedDevice: () => (watch.device ? watch.device.id : null),
  });

  const userText = () => {
    if (!session || !session.user) return '';
    const u = session.user;
    if (session.operator) return t('user.operator', { name: u.sip || u.dn || '' });
    // A password login with a tenant's App object password: that PBX's administrator.
    if (session.scope && session.scope.login === 'appPassword') return t('user.appAdmin', { name: u.sip || '', tenant: session.scope.tenant || '' });
    return t('user.user', { dn: u.dn || u.sip || '', domain: u.domain || '' });
  };
  onLanguageChange(() => status.setUser(userText()));

  conn.addEventListener('connected', async () => {
    list.start();
    watch.onConnected();
    menu.render();
    try {
      const r = await conn.request({ mt: 'GetSession' });
      if (!r.error) session = r;
    } catch (_) { /* the state line shows the connection */ }
    status.setUser(userText());
    menu.render();
    if (!keyboard) {
      try {
        const keyboards = await loadKeyboards();
        if (!keyboard) {
          keyboard = new KeyboardPanel($('keyboard'), {
            keyboards,
            layouts: session && session.layouts,
            initialLayout: prefs.get('layout') || defaultLayout(getLanguage() === 'de' ? 'de' : navigator.language),
            send: (keys, layout) => watch.typeKeys(keys, layout),
            pressKey: (id) => watch.pressKey(id),
            onLayout: (l) => prefs.set('layout', l),
          });
          if (watch.model) keyboard.setModelKeys(watch.model.keys.map((k) => k.id));
        }
      } catch (e) { console.warn('keyboards.json:', e); }
    }
  });
  conn.addEventListener('disconnected', () => {
    list.stop();
    watch.onDisconnected();
    status.setUser('');
    menu.render();
  });
  conn.addEventListener('binary', (e) => watch.onBinary(e.detail));
  conn.start();
  window.addEventListener('pagehide', () => conn.stop());
}

initLanguage(params.get('lang'));
applyScheme(params.get('scheme'));
listenToMyApps();
if (params.has('render')) startPreview(params.get('render') || '');
else startLive();
