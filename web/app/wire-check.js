/// The wire check of the watched phone (troubleshooting menu, operators and trace admins): which
/// of the wire data's candidate forms the phone answers (docs/wire-calibration.md). Read-only
/// candidates run on "Run check"; a key, touch or text candidate runs only from its own row, one
/// at a time, between two LCD dumps. The report can be copied as JSON and its working forms saved
/// as a wire file for that model. Operators can also make the service read its wire file again.

import { h } from './dom.js';
import { t, addStrings, resultError, fmtNumber } from './i18n.js';
import { openDialog, toast, table } from './dialog.js';

addStrings({
  en: {
    'menu.wireCheck': 'Wire check',
    'menu.reloadWire': 'Reload wire file',
    'wire.title': 'Wire check of {device}',
    'wire.hint': 'Sends every read-only candidate form of the wire data to the phone once and shows what it answered. Key, touch and text forms act on the phone: run them one by one from their row.',
    'wire.run': 'Run check',
    'wire.copy': 'Copy JSON',
    'wire.save': 'Save as wire file',
    'wire.copied': 'The report was copied as JSON.',
    'wire.copyFailed': 'Copying failed: select the JSON below and copy it.',
    'wire.saved': 'Saved {file}: load it with phone.wire-file.',
    'wire.failed': 'The wire check failed: {reason}',
    'wire.running': 'Running the wire check…',
    'wire.summary': '{product} ({family}) {version}, via {via}, wire data: {origin}, {ms} ms',
    'wire.working': 'works: {list}',
    'wire.none': 'no form worked',
    'wire.notRun': 'not run: run a form from its row',
    'wire.single': 'one form, never searched',
    'wire.remembered': 'The phone sessions use: {list}',
    'wire.act': 'Run',
    'wire.input.key': 'Key id',
    'wire.input.touch': 'x,y',
    'wire.input.text': 'Text',
    'wire.col.index': '#',
    'wire.col.request': 'Request (form)',
    'wire.col.status': 'Status',
    'wire.col.type': 'Type',
    'wire.col.bytes': 'Bytes',
    'wire.col.ms': 'ms',
    'wire.col.result': 'Result',
    'wire.col.answer': 'Answer',
    'wire.col.visible': 'Visible',
    'wire.col.run': 'Run',
    'wire.reloaded': 'The wire file was read again ({origin}).',
    'wire.reloadFailed': 'The wire file was not taken: {reason}',
  },
  de: {
    'menu.wireCheck': 'Wire-Check',
    'menu.reloadWire': 'Wire-Datei neu laden',
    'wire.title': 'Wire-Check von {device}',
    'wire.hint': 'Sendet jede lesende Kandidatenform der Wire-Daten einmal an das Telefon und zeigt, was es geantwortet hat. Tasten-, Touch- und Textformen wirken auf dem Telefon: einzeln aus ihrer Zeile ausführen.',
    'wire.run': 'Check starten',
    'wire.copy': 'JSON kopieren',
    'wire.save': 'Als Wire-Datei speichern',
    'wire.copied': 'Der Bericht wurde als JSON kopiert.',
    'wire.copyFailed': 'Kopieren fehlgeschlagen: JSON unten markieren und kopieren.',
    'wire.saved': '{file} gespeichert: mit phone.wire-file laden.',
    'wire.failed': 'Der Wire-Check ist fehlgeschlagen: {reason}',
    'wire.running': 'Wire-Check läuft…',
    'wire.summary': '{product} ({family}) {version}, über {via}, Wire-Daten: {origin}, {ms} ms',
    'wire.working': 'funktioniert: {list}',
    'wire.none': 'keine Form funktionierte',
    'wire.notRun': 'nicht ausgeführt: eine Form aus ihrer Zeile ausführen',
    'wire.single': 'eine Form, nie gesucht',
    'wire.remembered': 'Die Telefonsitzungen verwenden: {list}',
    'wire.act': 'Ausführen',
    'wire.input.key': 'Tasten-ID',
    'wire.input.touch': 'x,y',
    'wire.input.text': 'Text',
    'wire.col.index': '#',
    'wire.col.request': 'Anfrage (Form)',
    'wire.col.status': 'Status',
    'wire.col.type': 'Typ',
    'wire.col.bytes': 'Bytes',
    'wire.col.ms': 'ms',
    'wire.col.result': 'Ergebnis',
    'wire.col.answer': 'Antwort',
    'wire.col.visible': 'Sichtbar',
    'wire.col.run': 'Ausführen',
    'wire.reloaded': 'Die Wire-Datei wurde neu gelesen ({origin}).',
    'wire.reloadFailed': 'Die Wire-Datei wurde nicht übernommen: {reason}',
  },
});

const CHECK_TIMEOUT_MS = 130000;   // every candidate is one request to the phone

/** What an answer parsed to, in a few words. */
function parsedText(c) {
  const p = c.parsed;
  if (p && p.width !== undefined) return `BMP ${p.width}×${p.height}×${p.depth}`;
  if (p && p.count !== undefined) return `${p.count} registrations`;
  if (p && p.product !== undefined) return Object.entries(p).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join(' ');
  return c.why || c.error || '';
}

/** The act of a candidate row from its input field; null when the input does not fit. */
function actOf(entry, index, value) {
  const v = String(value || '').trim();
  if (entry === 'key') return v ? { entry, candidate: index, key: v.toUpperCase() } : null;
  if (entry === 'text') return v ? { entry, candidate: index, text: v } : null;
  const m = /^(\d+)\s*[, ]\s*(\d+)$/.exec(v);
  return m ? { entry, candidate: index, x: Number(m[1]), y: Number(m[2]) } : null;
}

/** Download `text` as a file named `name`. */
function download(name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name, attrs: { hidden: true } });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (_) {
    return false;
  }
}

export class WireCheck {
  /** @param {{request:(msg:object, o?:object)=>Promise<any>}} conn */
  constructor(conn) {
    this.conn = conn;
    this.report = null;
  }

  /** Opens the dialog for `device` (the app's device id). */
  open(device) {
    this.device = device;
    this.report = null;
    this.dlg = openDialog({
      title: t('wire.title', { device }),
      wide: true,
      body: h('p', { class: 'hint', text: t('wire.hint') }),
      buttons: [
        { label: t('wire.copy'), onClick: () => { this.copy(); return true; } },
        { label: t('wire.save'), onClick: () => { this.save(); return true; } },
        { label: t('wire.run'), primary: true, onClick: () => { this.run([]); return true; } },
      ],
    });
    this.dlg.el.classList.add('wire-check');
  }

  async run(acts) {
    this.dlg.setBody([h('p', { class: 'hint', text: t('wire.running') })]);
    try {
      const msg = { mt: 'WireCheck', device: this.device };
      if (acts.length) msg.acts = acts;
      const r = await this.conn.request(msg, { timeoutMs: CHECK_TIMEOUT_MS });
      if (r.error) throw r;
      if (r.report && r.report.error) throw { errorText: r.report.error };
      this.report = r.report;
      this.dlg.setBody(this.view(r.report));
    } catch (e) {
      this.dlg.setBody(h('p', { class: 'error', text: t('wire.failed', { reason: resultError(e) }) }));
    }
  }

  view(r) {
    const remembered = Object.entries(r.remembered || {}).map(([e, i]) => `${e} #${i}`).join(', ');
    return [
      h('p', { class: 'wire-summary', text: t('wire.summary', { product: r.product, family: r.family, version: r.version || '?', via: r.via, origin: r.wireOrigin, ms: fmtNumber(Math.round(r.ms)) }) }),
      remembered ? h('p', { class: 'hint', text: t('wire.remembered', { list: remembered }) }) : null,
      ...(r.entries || []).map((e) => this.entryView(e)),
      h('details', {}, h('summary', { text: 'JSON' }), h('pre', { class: 'wire-json', text: JSON.stringify(r, null, 2) })),
    ];
  }

  entryView(e) {
    const cands = e.candidates || [];
    let works;
    if (e.working && e.working.length) works = t('wire.working', { list: e.working.map((i) => `#${i}`).join(', ') });
    else if (e.searched === false) works = t('wire.single');
    else works = e.acts && !cands.some((c) => c.request) ? t('wire.notRun') : t('wire.none');
    const cols = ['wire.col.index', 'wire.col.request', 'wire.col.status', 'wire.col.type', 'wire.col.bytes', 'wire.col.ms', 'wire.col.result', 'wire.col.answer'];
    if (e.acts) cols.push('wire.col.visible', 'wire.col.run');
    const rows = cands.map((c) => {
      // What was sent, or the form itself while it was not sent; the form and its source on hover.
      const sent = h('code', { text: c.request || c.form, attrs: { title: `${c.form}\n${c.source || ''}`.trim() } });
      const row = [c.index, sent, c.status ?? '', c.contentType || '',
        c.bytes !== undefined ? fmtNumber(c.bytes) : '', c.ms !== undefined ? c.ms.toFixed(1) : '',
        h('span', { class: `wire-result ${c.result}`, text: c.result }), parsedText(c)];
      if (e.acts) {
        row.push(c.visible === undefined || c.visible === null ? '' : t(c.visible ? 'yes' : 'no'));
        row.push(e.searched === false ? '' : this.actCell(e.entry, c.index));
      }
      return row;
    });
    return h('section', { class: 'wire-entry', attrs: { 'data-entry': e.entry } },
      h('h3', { text: `${e.entry} — ${e.what} — ${works}` }), table(cols, rows));
  }

  actCell(entry, index) {
    const input = h('input', { type: 'text', size: 8, attrs: { 'aria-label': t(`wire.input.${entry}`), placeholder: t(`wire.input.${entry}`), 'data-act': `${entry}:${index}` } });
    const run = h('button', {
      type: 'button', text: t('wire.act'), attrs: { 'data-run': `${entry}:${index}` },
      on: { click: () => { const act = actOf(entry, index, input.value); if (act) this.run([act]); else input.focus(); } },
    });
    return h('span', { class: 'wire-act' }, input, ' ', run);
  }

  async copy() {
    if (!this.report) return;
    const ok = await copyText(JSON.stringify(this.report, null, 2));
    toast(t(ok ? 'wire.copied' : 'wire.copyFailed'), ok ? 'info' : 'error');
  }

  save() {
    if (!this.report || !this.report.wireFile) return;
    const file = `wire-${this.report.product}.json`;
    download(file, `${JSON.stringify(this.report.wireFile, null, 2)}\n`);
    toast(t('wire.saved', { file }));
  }
}

/** ReloadWire (operators): every phone-session node reads phone.wire-file again. */
export async function reloadWire(conn) {
  try {
    const r = await conn.request({ mt: 'ReloadWire' });
    if (r.error) throw r;
    const nodes = Array.isArray(r.nodes) ? r.nodes : [];
    const bad = nodes.find((n) => !n.ok);
    if (bad) throw { errorText: bad.error };
    toast(t('wire.reloaded', { origin: nodes.map((n) => n.origin).join(', ') }));
  } catch (e) {
    toast(t('wire.reloadFailed', { reason: resultError(e) }), 'error');
  }
}
