/// The status panel's answer to a devices-api link whose certificate is not trusted (an App
/// Platform's self-signed one): the refusal in words, and for operators "Trust this
/// certificate", which pins its SHA-256 fingerprint for that link (PinCertificate; the service
/// writes it to its pin file and reconnects).

import { h } from './dom.js';
import { t, resultError } from './i18n.js';
import { confirmDialog, toast } from './dialog.js';

const display = (hex) => (hex.toUpperCase().match(/../g) || []).join(':');

/** The lastError cell of one devices-api row; `onPinned` opens the status again (the question replaced it). */
export function lastErrorCell(d, { conn, isOperator, onPinned }) {
  const text = d.lastError ?? '';
  if (!d.refusedCert) return d.pinned ? `${text}${text ? ' ' : ''}(${t('cert.pinned', { pin: d.pinned })})` : text;
  if (!isOperator()) return text;
  const button = h('button', { attrs: { type: 'button', 'data-pin': d.id }, text: t('cert.trust') });
  button.addEventListener('click', async () => {
    const ok = await confirmDialog(t('cert.trustTitle'), t('cert.trustText', { link: d.id, fp: display(d.refusedCert) }));
    if (!ok) return;
    button.disabled = true;
    try {
      const r = await conn.request({ mt: 'PinCertificate', link: d.id, fingerprint: d.refusedCert });
      if (r.error) throw r;
      toast(t('cert.trusted', { link: d.id, file: r.result?.file ?? '' }));
      onPinned();
    } catch (e) {
      button.disabled = false;
      toast(t('cert.trustFailed', { reason: resultError(e) }), 'error');
    }
  });
  return h('span', {}, text, ' ', button);
}
