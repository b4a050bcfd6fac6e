/// LCD frames (docs/app-protocol.md §4): parse the binary frame, draw its PNG rectangle onto the
/// screen canvas, then acknowledge it — the gateway sends the next frame only after the ack, so
/// the refresh rate follows the admin's bandwidth.

const HEADER = 19;
const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export const CODEC_FULL = 1;
export const CODEC_RECT = 2;

/**
 * Parse one binary frame. Never throws.
 * @param {ArrayBuffer|Uint8Array} input
 * @returns {{ok:true, frame:{codec,seq,screenWidth,screenHeight,x,y,w,h,device,png:Uint8Array}}|{ok:false,error:string}}
 */
export function parseFrame(input) {
  let bytes;
  if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else return { ok: false, error: 'not binary' };
  if (bytes.length < HEADER) return { ok: false, error: `frame too short (${bytes.length} bytes)` };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0x4c) return { ok: false, error: `bad frame type 0x${bytes[0].toString(16)}` };
  const codec = bytes[1];
  if (codec !== CODEC_FULL && codec !== CODEC_RECT) return { ok: false, error: `unknown codec ${codec}` };
  const seq = v.getUint32(2);
  const screenWidth = v.getUint16(6), screenHeight = v.getUint16(8);
  const x = v.getUint16(10), y = v.getUint16(12), w = v.getUint16(14), h = v.getUint16(16);
  const n = bytes[18];
  if (screenWidth === 0 || screenHeight === 0) return { ok: false, error: 'empty screen size' };
  if (w === 0 || h === 0 || x + w > screenWidth || y + h > screenHeight) return { ok: false, error: `rectangle ${x},${y} ${w}x${h} outside the ${screenWidth}x${screenHeight} screen` };
  if (HEADER + n > bytes.length) return { ok: false, error: 'device id runs past the end' };
  let device;
  try { device = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + n)); } catch (_) { return { ok: false, error: 'device id is not UTF-8' }; }
  const png = bytes.subarray(HEADER + n);
  if (png.length < PNG_SIG.length || PNG_SIG.some((b, i) => png[i] !== b)) return { ok: false, error: 'payload is not a PNG' };
  return { ok: true, frame: { codec, seq, screenWidth, screenHeight, x, y, w, h, device, png } };
}

/** Build a frame (the inverse of parseFrame); used by tests and the preview. */
export function buildFrame({ codec = CODEC_FULL, seq = 0, screenWidth, screenHeight, x = 0, y = 0, w, h, device = '', png }) {
  const id = new TextEncoder().encode(device);
  if (id.length > 255) throw new RangeError('device id longer than 255 bytes');
  const out = new Uint8Array(HEADER + id.length + png.length);
  const v = new DataView(out.buffer);
  out[0] = 0x4c; out[1] = codec;
  v.setUint32(2, seq >>> 0);
  v.setUint16(6, screenWidth); v.setUint16(8, screenHeight);
  v.setUint16(10, x); v.setUint16(12, y); v.setUint16(14, w ?? screenWidth); v.setUint16(16, h ?? screenHeight);
  out[18] = id.length;
  out.set(id, HEADER);
  out.set(png, HEADER + id.length);
  return out;
}

/** Decode PNG bytes to something drawImage takes: createImageBitmap, else an <img>. */
async function decodePng(png) {
  const blob = new Blob([png], { type: 'image/png' });
  if (typeof createImageBitmap === 'function') {
    const bmp = await createImageBitmap(blob);
    return { image: bmp, release: () => bmp.close && bmp.close() };
  }
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return { image: img, release: () => {} };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Draws frames of one device onto one canvas, one at a time, in arrival order.
 * `onDrawn(frame, error?)` is called after each frame (drawn or not) so the caller acks it.
 */
export class LcdRenderer {
  constructor(canvas, { onDrawn, onResize } = {}) {
    this.canvas = canvas;
    this.onDrawn = onDrawn || (() => {});
    this.onResize = onResize || (() => {});
    this.chain = Promise.resolve();
    this.frames = 0;
    this.lastSeq = null;
  }

  /** Queue a parsed frame for drawing. */
  push(frame) {
    this.chain = this.chain.then(() => this._draw(frame));
    return this.chain;
  }

  async _draw(frame) {
    let error = null;
    try {
      const c = this.canvas;
      if (c.width !== frame.screenWidth || c.height !== frame.screenHeight) {
        // The phone reports another resolution than the model data: follow the phone.
        c.width = frame.screenWidth;
        c.height = frame.screenHeight;
        this.onResize(frame.screenWidth, frame.screenHeight);
      }
      const { image, release } = await decodePng(frame.png);
      try {
        const ctx = c.getContext('2d');
        if (frame.codec === CODEC_FULL) ctx.clearRect(0, 0, c.width, c.height);
        ctx.drawImage(image, frame.x, frame.y, frame.w, frame.h);
      } finally {
        release();
      }
      this.frames++;
      this.lastSeq = frame.seq;
    } catch (e) {
      error = String(e && e.message ? e.message : e);
    }
    try { this.onDrawn(frame, error); } catch (e) { console.error(e); }
  }
}
