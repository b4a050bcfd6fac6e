/// On a narrow window (a tablet, a phone in myApps) the device list is a drawer over the phone
/// pane, so the phone gets the whole width: the list button in the top bar opens and closes it;
/// choosing a device, a tap beside it or Escape closes it. On a wide window the list stays a
/// column and the drawer state does not matter.

export const NARROW_QUERY = '(max-width: 900px)';

export class Drawer {
  /**
   * @param {{button:HTMLButtonElement, pane:HTMLElement, backdrop:HTMLElement, open?:boolean,
   *          media?:MediaQueryList}} o  `open`: the state on a narrow window at the start
   */
  constructor({ button, pane, backdrop, open = false, media = window.matchMedia(NARROW_QUERY) }) {
    this.button = button;
    this.pane = pane;
    this.backdrop = backdrop;
    this.media = media;
    this.isOpen = open;
    button.addEventListener('click', () => this.toggle());
    backdrop.addEventListener('click', () => this.close());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && this.narrow && this.isOpen) this.close(); });
    media.addEventListener('change', () => this._sync());
    this._sync();
  }

  get narrow() { return this.media.matches; }

  open() { this.isOpen = true; this._sync(); }

  close() {
    const hadFocus = this.pane.contains(document.activeElement);
    this.isOpen = false;
    this._sync();
    if (hadFocus && this.narrow) this.button.focus();
  }

  toggle() { if (this.isOpen) this.close(); else this.open(); }

  _sync() {
    const shown = !this.narrow || this.isOpen;
    document.body.dataset.drawer = this.isOpen ? 'open' : 'closed';
    this.button.setAttribute('aria-expanded', String(this.narrow && this.isOpen));
    this.backdrop.hidden = !(this.narrow && this.isOpen);
    // A closed drawer is out of the tab order and of the accessibility tree.
    this.pane.inert = !shown;
  }
}
