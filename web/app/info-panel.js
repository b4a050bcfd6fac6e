/// Info panel of the watched phone: what WatchResult reported plus the model facts.

import { h, clear } from './dom.js';
import { t, onLanguageChange } from './i18n.js';

/** How many layout facts of a model are verified, inferred or design defaults. */
export function factCounts(facts) {
  const n = { verified: 0, inferred: 0, defaults: 0 };
  for (const f of Object.values(facts)) {
    if (f && f.status === 'VERIFIED') n.verified++;
    else if (f && f.status === 'INFERRED') n.inferred++;
    else n.defaults++;
  }
  return n;
}

/** The layout facts of the model data, each with its status and source, folded away. */
function factList(facts) {
  return h('details', { class: 'facts' },
    h('summary', { text: t('info.facts') }),
    h('ul', {}, Object.entries(facts).map(([name, f]) => h('li', { attrs: { 'data-fact': name, 'data-status': f && f.status } },
      h('span', { class: 'fact-status', text: t(`info.fact.${f && f.status}`) }), ' ',
      h('span', { text: `${(f && f.what) || name}` }),
      f && f.source ? h('span', { class: 'dev-meta', text: ` (${f.source})` }) : null))));
}

export class InfoPanel {
  constructor(host) {
    this.host = host;
    this.data = null;
    this.offLang = onLanguageChange(() => this.render());
  }

  /** {device, info:{name,hwId,ip,version,domainName}, product, family, model?, state?} */
  set(data) { this.data = data; this.render(); }

  render() {
    const host = clear(this.host);
    const d = this.data;
    if (!d) return;
    const info = d.info || {};
    const m = d.model;
    const rows = [
      ['info.name', info.name],
      ['info.product', d.product],
      ['info.family', d.family],
      ['info.hwId', info.hwId],
      ['info.ip', info.ip],
      ['info.version', info.version],
      ['info.domain', info.domainName],
      m ? ['info.screen', t('info.screenValue', { w: m.screen.width, h: m.screen.height, kind: t(m.screen.color ? 'info.colour' : 'info.mono') })] : null,
      m ? ['info.touch', t(m.touch ? 'yes' : 'no')] : null,
      m ? ['info.ui', t(`info.ui.${m.ui}`)] : null,
      m && m.facts && Object.keys(m.facts).length ? ['info.drawing', t('info.drawingValue', factCounts(m.facts))] : null,
      d.state ? ['info.state', d.state] : null,
      ['info.device', d.device],
    ].filter((r) => r && r[1] !== undefined && r[1] !== null && r[1] !== '');
    host.append(h('dl', { class: 'kv' }, rows.map(([k, v]) => [h('dt', { text: t(k) }), h('dd', { text: String(v) })])));
    if (m && m.facts && Object.keys(m.facts).length) host.append(factList(m.facts));
  }

  destroy() { this.offLang(); clear(this.host); }
}
