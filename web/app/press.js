/// Press handling for phone keys and the touch screen: a pointer held ≥ 600 ms is a long press
/// and carries its hold time; keyboard activation (Enter/Space on a focused button) is a short
/// press. One handler per element, mouse, pen and touch alike (Pointer Events).

export const LONG_PRESS_MS = 600;
export const MAX_HOLD_MS = 10000;

/**
 * Hold time to send for a press that lasted `heldMs`: undefined for a short press,
 * else the time held, capped at MAX_HOLD_MS (the protocol's limit).
 */
export function holdFor(heldMs) {
  if (!(heldMs >= LONG_PRESS_MS)) return undefined;
  return Math.min(Math.round(heldMs), MAX_HOLD_MS);
}

/**
 * Make `el` pressable. `onPress({holdMs, clientX, clientY, keyboard})` fires on release
 * (pointer) or on activation (keyboard). While held the element has class `pressed`, after
 * 600 ms also `long` (visible feedback that the press will be long).
 * @returns {() => void} detach
 */
export function attachPress(el, onPress, { now = () => performance.now() } = {}) {
  let down = null;     // {id, t, x, y, timer}

  const finish = (e, cancel) => {
    if (!down || (e && e.pointerId !== down.id)) return;
    const d = down;
    down = null;
    clearTimeout(d.timer);
    el.classList.remove('pressed', 'long');
    if (cancel) return;
    // Released away from the element: treat as cancelled, like a real button.
    const r = el.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) return;
    onPress({ holdMs: holdFor(now() - d.t), clientX: d.x, clientY: d.y, keyboard: false });
  };

  const onDown = (e) => {
    if (e.button !== 0 || down) return;
    e.preventDefault();                               // no text selection / focus stealing drag
    try { el.setPointerCapture(e.pointerId); } catch (_) { /* not supported for this pointer */ }
    if (el.focus) el.focus({ preventScroll: true });
    down = { id: e.pointerId, t: now(), x: e.clientX, y: e.clientY, timer: setTimeout(() => el.classList.add('long'), LONG_PRESS_MS) };
    el.classList.add('pressed');
  };
  const onUp = (e) => finish(e, false);
  const onCancel = (e) => finish(e, true);
  // Pointer clicks are handled by pointerup; a click with detail 0 comes from the keyboard or
  // assistive technology and is a short press.
  const onClick = (e) => {
    if (e.detail === 0) onPress({ holdMs: undefined, clientX: NaN, clientY: NaN, keyboard: true });
  };
  const onContext = (e) => e.preventDefault();     // long touch must not open a context menu

  el.addEventListener('pointerdown', onDown);
  el.addEventListener('pointerup', onUp);
  el.addEventListener('pointercancel', onCancel);
  el.addEventListener('lostpointercapture', onCancel);
  el.addEventListener('click', onClick);
  el.addEventListener('contextmenu', onContext);
  return () => {
    el.removeEventListener('pointerdown', onDown);
    el.removeEventListener('pointerup', onUp);
    el.removeEventListener('pointercancel', onCancel);
    el.removeEventListener('lostpointercapture', onCancel);
    el.removeEventListener('click', onClick);
    el.removeEventListener('contextmenu', onContext);
  };
}
