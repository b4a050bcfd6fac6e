/// Every user-visible string of the app, in English and German, and the language switch.
/// Language: the user's choice (menu) > myApps (`lang` query argument, SetLang message) >
/// navigator.language; German for any `de*`, English otherwise.

const STRINGS = {
  en: {
    'app.title': 'myPhoneKeys',
    'lang.en': 'English',
    'lang.de': 'Deutsch',
    yes: 'yes',
    no: 'no',

    'conn.idle': 'Not connected',
    'conn.connecting': 'Connecting…',
    'conn.login': 'Logging in…',
    'conn.waitingLogin': 'Waiting for the myApps login…',
    'conn.connected': 'Connected',
    'conn.connectedAs': 'Connected as {user}',
    'conn.reconnecting': 'Connection lost ({reason}) — reconnecting in {s} s',
    'conn.reconnectingNow': 'Reconnecting…',
    'conn.loginFailed': 'Login failed: {reason}',
    'conn.loginFailedRetry': 'Login failed: {reason} — retrying in {s} s',
    'conn.password': 'Operator login required',
    'conn.noLogin': 'This service accepts only logins through myApps. Open the app from myApps.',
    'conn.preview': 'Preview — no connection',
    'conn.retryNow': 'Retry now',

    'err.UNLICENSED': 'no licence: your user has no App(innovaphone-myphonekeys) licence assigned. Ask your PBX administrator.',
    'err.LOGIN_FAILURE': 'the login was not accepted',
    'err.NO_PBX': 'your PBX is not connected to this service (check the WebSocket flag of the App object)',
    'err.NOT_LOGGED_IN': 'not logged in',
    'err.UNKNOWN_DEVICE': 'the device is not known (any more)',
    'err.UNSUPPORTED': 'this phone model is not supported',
    'err.OFFLINE': 'the phone is offline',
    'err.BAD_KEY': 'this phone has no such key',
    'err.FORBIDDEN': 'you are not allowed to do this',
    'err.TIMEOUT': 'no answer from the service',
    'err.SERVICE_UNAVAILABLE': 'a part of the service is restarting; try again in a moment',
    'err.DISCONNECTED': 'the connection to the service was lost',
    'err.NOT_CONNECTED': 'not connected to the service',
    'err.LOGIN_TIMEOUT': 'no answer to the login',
    'err.CONNECT_TIMEOUT': 'the service did not answer',
    'err.KEEPALIVE_TIMEOUT': 'the connection stalled',
    'err.WEBSOCKET_ERROR': 'connection error',
    'err.REMOTE_CLOSE': 'closed by the service',
    'err.NO_PASSWORD_LOGIN': 'password login is not enabled',
    'err.unknown': 'error {code}',

    'login.title': 'Log in',
    'login.hint': 'This page is open outside myApps. Operators of this service log in with their name and password; a PBX administrator can log in here with the password of this PBX\'s App object (any name), and then sees this PBX\'s phones only.',
    'login.name': 'Name',
    'login.password': 'Password',
    'login.submit': 'Log in',

    'user.operator': 'Operator {name}',
    'user.appAdmin': '{name} (administrator of {tenant})',
    'user.user': '{dn} ({domain})',

    'devices.title': 'Devices',
    'devices.toggle': 'Show or hide the device list',
    'devices.domain': 'Domain',
    'devices.allDomains': 'All domains',
    'devices.domainOption': '{name} ({online}/{total} online)',
    'devices.domainStale': '{name} — link down',
    'devices.filter': 'Show',
    'devices.filterAll': 'All devices',
    'devices.filterOnline': 'Online only',
    'devices.filterOffline': 'Offline only',
    'devices.search': 'Search',
    'devices.searchPlaceholder': 'Name, type, IP, MAC, firmware',
    'devices.range': '{from}–{to} of {total}',
    'devices.none': 'No devices match.',
    'devices.loading': 'Loading devices…',
    'devices.reconnecting': 'Reconnecting to the device registry… (the list shown may be out of date)',
    'devices.prev': 'Previous page',
    'devices.next': 'Next page',
    'devices.online': 'online',
    'devices.offline': 'offline',
    'devices.stale': 'stale',
    'devices.staleTitle': 'The devices-api link that reported this device is down; its data may be outdated.',
    'devices.unsupported': 'not supported',
    'devices.listLabel': 'Devices, page {page}',
    'devices.error': 'The device list could not be loaded: {reason}',

    'phone.none': 'Select a phone in the device list.',
    'phone.loading': 'Loading the phone…',
    'phone.title': '{name} — {product}',
    'phone.faceLabel': 'Phone {product}. Keys are sent to the phone; while this area has the focus, typing enters text on the phone.',
    'phone.screenLabel': 'Screen of the phone, {w}×{h} pixels',
    'phone.screenTouchLabel': 'Touch screen of the phone, {w}×{h} pixels: click to tap, hold for a long tap',
    'phone.state.connecting': 'Connecting to the phone…',
    'phone.state.online': 'Online',
    'phone.state.offline': 'The phone is offline.',
    'phone.state.stale': 'The Devices App link of this phone is down; waiting for it…',
    'phone.state.error': 'Phone error: {reason}',
    'phone.watchFailed': 'The phone cannot be shown: {reason}',
    'phone.reconnecting': 'Reconnecting to the service… the phone is shown again in a moment.',
    'phone.unsupported': 'This phone cannot be shown: {reason}',
    'phone.modelFailed': 'The model data of {product} could not be loaded: {reason}',
    'phone.keyFailed': 'Key {key}: {reason}',
    'phone.touchFailed': 'Touch: {reason}',
    'phone.frameError': 'A screen update could not be shown: {reason}',
    'phone.help': 'Click a key to press it; hold it for 0.6 s or longer for a long press. Focus the phone and type to send text.',

    'key.fn': 'Function key {n}',
    'key.line': 'Line key {n}',
    'key.soft': 'Soft key {n}',
    'key.alpha': 'Letter {l}',
    'key.digit': 'Digit {d}',
    'key.led': 'LED',
    'key.UP': 'Up',
    'key.DOWN': 'Down',
    'key.LEFT': 'Left',
    'key.RIGHT': 'Right',
    'key.OK': 'OK',
    'key.CANCEL': 'Back',
    'key.HOME': 'Home',
    'key.MENU': 'Menu',
    'key.HOOK': 'Handset (lift or hang up)',
    'key.SPEAKER': 'Speaker',
    'key.HEADSET': 'Headset',
    'key.MUTE': 'Mute',
    'key.VOL_UP': 'Volume up',
    'key.VOL_DOWN': 'Volume down',
    'key.R': 'R (flash)',
    'key.REDIAL': 'Redial',
    'key.STAR': 'Star (*)',
    'key.HASH': 'Hash (#)',
    'key.SHIFT': 'Shift',
    'key.SPACE': 'Space',

    'regs.title': 'Registrations',
    'regs.none': 'No registration data yet.',
    'regs.slot': 'User-{n}',
    'regs.state.registered': 'registered',
    'regs.state.not-configured': 'not configured',
    'regs.state.disabled': 'disabled',
    'regs.state.failed': 'registration failed',
    'regs.field.state': 'State',
    'regs.field.number': 'Number',
    'regs.field.name': 'Name',
    'regs.field.gatekeeper': 'Gatekeeper',
    'regs.field.protocol': 'Protocol',
    'regs.field.error': 'Error',
    'regs.legend': 'green: registered · dark grey: not configured · orange: disabled · red: failed',

    'actions.title': 'Actions',
    'actions.action': 'Action',
    'actions.choose': 'Choose an action…',
    'actions.run': 'Run',
    'actions.none': 'This phone offers no actions.',
    'actions.arg.dial': 'Number to dial',
    'actions.arg.hangup': 'Call id',
    'actions.arg': 'Argument',
    'actions.confirm': 'Run “{action}” on {device}?',
    'actions.running': 'Running…',
    'action.reboot': 'Reboot',
    'action.reboot-idle': 'Reboot when idle',
    'action.config-write': 'Save configuration',
    'action.config-activate': 'Activate configuration',
    'action.update-check': 'Check for updates',
    'action.dial': 'Dial',
    'action.hangup': 'Hang up',
    'command.title': 'Command',
    'command.label': 'Command line (a “!” command, e.g. config write)',
    'command.placeholder': 'config write',
    'command.send': 'Send',
    'result.ok': 'OK',
    'result.failed': 'Failed',
    'result.status': 'Status {status}',
    'result.error': 'Error: {reason}',

    'info.title': 'Information',
    'info.name': 'Name',
    'info.product': 'Model',
    'info.family': 'Family',
    'info.hwId': 'MAC address',
    'info.ip': 'IP address',
    'info.version': 'Firmware',
    'info.domain': 'Domain',
    'info.screen': 'Screen',
    'info.screenValue': '{w}×{h} px, {kind}',
    'info.colour': 'colour',
    'info.mono': 'monochrome',
    'info.touch': 'Touch screen',
    'info.ui': 'User interface',
    'info.ui.new': 'V11+ (status bar and app bar)',
    'info.ui.old': 'classic (menu lines with line keys)',
    'info.state': 'State',
    'info.device': 'Device id',
    'info.drawing': 'Drawing',
    'info.drawingValue': '{verified} verified, {inferred} inferred, {defaults} design defaults',
    'info.facts': 'Where the drawing comes from',
    'info.fact.VERIFIED': 'verified',
    'info.fact.INFERRED': 'inferred',
    'info.fact.DESIGN DEFAULT': 'design default',

    'kbd.title': 'Keyboard',
    'kbd.layout': 'Keyboard layout',
    'kbd.layout.qwerty': 'QWERTY (English)',
    'kbd.layout.qwertz': 'QWERTZ (German)',
    'kbd.layout.azerty': 'AZERTY (French)',
    'kbd.shift': 'Shift',
    'kbd.altgr': 'AltGr',
    'kbd.space': 'Space',
    'kbd.hint': 'Focus the phone and type on your PC keyboard, or click the keys below.',
    'kbd.sent': 'Sent: {text}',
    'kbd.key': 'Type {char}',

    'admin.button': 'Admin UI',
    'admin.title': 'Open the admin UI of this phone in a new window',
    'admin.failed': 'The admin UI cannot be opened: {reason}',
    'admin.blocked': 'The browser blocked the new window; allow pop-ups for this app.',

    'menu.label': 'Menu',
    'drawer.label': 'Device list',
    'fkeys.title': 'Function keys',
    'fkeys.none': 'This phone has no function keys.',
    'fkeys.hint': 'The labels the phone reports are shown on its keys. Where the phone reports none, the label set here is shown, to every administrator watching this phone.',
    'fkeys.save': 'Save labels',
    'fkeys.saving': 'Saving…',
    'fkeys.saved': 'Labels saved.',
    'fkeys.unchanged': 'Nothing changed.',
    'fkeys.fromPhone': 'on the phone: “{label}”',
    'fkeys.fromOperator': 'shown: “{label}”',
    'fkeys.led.on': 'LED on',
    'fkeys.led.blink': 'LED blinking',
    'fkeys.led.flash': 'LED flashing',
    'menu.status': 'Service status',
    'menu.log': 'Log Service Connections',
    'menu.trace': 'Trace flags',
    'menu.audit': 'Audit log',
    'menu.language': 'Language',
    'menu.logDone': 'The service connections were written to the service log.',
    'menu.logFailed': 'Logging the service connections failed: {reason}',

    'status.title': 'Service status',
    'status.pbx': 'PBX links',
    'status.devicesApi': 'Devices API links',
    'status.sessions': 'Watched phones',
    'status.trace': 'Trace flags',
    'status.empty': 'none',
    'status.refresh': 'Refresh',
    'status.failed': 'The status could not be read: {reason}',
    'col.tenant': 'Tenant',
    'col.pbx': 'PBX',
    'col.state': 'State',
    'col.since': 'Since',
    'col.lics': 'Service licences',
    'col.testMode': 'Licence test mode',
    'status.licsNotSent': 'not sent',
    'col.services': 'Services',
    'col.name': 'Name',
    'col.url': 'URL',
    'col.devices': 'Devices',
    'col.domains': 'Domains',
    'col.reconnects': 'Reconnects',
    'col.lastError': 'Last error',
    'cert.trust': 'Trust this certificate',
    'cert.trustTitle': 'Trust this certificate?',
    'cert.trustText': 'Connect to {link} trusting exactly the certificate with SHA-256 fingerprint {fp}. Compare it with the fingerprint the App Platform shows first. A different certificate later is refused.',
    'cert.trusted': 'Certificate pinned for {link} ({file}); reconnecting',
    'cert.trustFailed': 'The certificate could not be pinned: {reason}',
    'cert.pinned': 'pinned {pin}',
    'col.device': 'Device',
    'col.watchers': 'Watchers',
    'col.frames': 'Frames',
    'col.time': 'Time',
    'col.user': 'User',
    'col.what': 'What',
    'col.result': 'Result',
    'col.id': 'Id',
    'col.flag': 'Flag',
    'col.on': 'On',

    'trace.title': 'Trace flags',
    'trace.hint': 'Trace output goes to the service log of the App Platform.',
    'trace.apply': 'Apply',
    'trace.saved': 'Trace flags saved.',
    'trace.failed': 'The trace flags could not be set: {reason}',
    'trace.flag.app': 'App',
    'trace.flag.appws': 'App WebSocket',

    'audit.title': 'Audit log',
    'audit.onlyThis': 'Only the watched phone',
    'audit.empty': 'No entries.',
    'audit.selectPhone': 'Select a phone to see its audit log.',
    'audit.failed': 'The audit log could not be read: {reason}',

    'dialog.close': 'Close',
    'dialog.cancel': 'Cancel',
    'dialog.ok': 'OK',

    'preview.title': 'Preview of {product} ({family})',
    'preview.hint': 'Preview mode: the phone is drawn from the model data only; nothing is sent anywhere.',
    'preview.log': 'Last input',
    'preview.key': 'Key {key}',
    'preview.keyHold': 'Key {key}, held {ms} ms',
    'preview.touch': 'Touch {x}, {y}',
    'preview.touchHold': 'Touch {x}, {y}, held {ms} ms',
    'preview.type': 'Type {keys}',
    'preview.labels': 'Labels of {n} keys set (drawn here only)',
    'preview.unknown': 'Unknown model “{product}”.',
    'preview.unsupported': 'Model {product} is not supported: {reason}',
    'preview.failed': 'The model data could not be loaded: {reason}',
    'preview.models': 'Models',
    'preview.screen': '{product} {w}×{h}',
  },
  de: {
    'app.title': 'myPhoneKeys',
    'lang.en': 'English',
    'lang.de': 'Deutsch',
    yes: 'ja',
    no: 'nein',

    'conn.idle': 'Nicht verbunden',
    'conn.connecting': 'Verbinde…',
    'conn.login': 'Anmeldung…',
    'conn.waitingLogin': 'Warte auf die Anmeldung durch myApps…',
    'conn.connected': 'Verbunden',
    'conn.connectedAs': 'Verbunden als {user}',
    'conn.reconnecting': 'Verbindung verloren ({reason}) — neuer Versuch in {s} s',
    'conn.reconnectingNow': 'Verbinde neu…',
    'conn.loginFailed': 'Anmeldung fehlgeschlagen: {reason}',
    'conn.loginFailedRetry': 'Anmeldung fehlgeschlagen: {reason} — neuer Versuch in {s} s',
    'conn.password': 'Operator-Anmeldung erforderlich',
    'conn.noLogin': 'Dieser Dienst akzeptiert nur Anmeldungen über myApps. Bitte die App aus myApps öffnen.',
    'conn.preview': 'Vorschau — keine Verbindung',
    'conn.retryNow': 'Jetzt neu versuchen',

    'err.UNLICENSED': 'keine Lizenz: Ihrem Benutzer ist keine App(innovaphone-myphonekeys)-Lizenz zugewiesen. Bitte wenden Sie sich an den PBX-Administrator.',
    'err.LOGIN_FAILURE': 'die Anmeldung wurde nicht akzeptiert',
    'err.NO_PBX': 'Ihre PBX ist nicht mit diesem Dienst verbunden (WebSocket-Flag des App-Objekts prüfen)',
    'err.NOT_LOGGED_IN': 'nicht angemeldet',
    'err.UNKNOWN_DEVICE': 'das Gerät ist (nicht mehr) bekannt',
    'err.UNSUPPORTED': 'dieses Telefonmodell wird nicht unterstützt',
    'err.OFFLINE': 'das Telefon ist offline',
    'err.BAD_KEY': 'dieses Telefon hat keine solche Taste',
    'err.FORBIDDEN': 'Sie dürfen das nicht',
    'err.TIMEOUT': 'keine Antwort vom Dienst',
    'err.SERVICE_UNAVAILABLE': 'ein Teil des Dienstes startet neu; bitte gleich noch einmal versuchen',
    'err.DISCONNECTED': 'die Verbindung zum Dienst ist abgebrochen',
    'err.NOT_CONNECTED': 'nicht mit dem Dienst verbunden',
    'err.LOGIN_TIMEOUT': 'keine Antwort auf die Anmeldung',
    'err.CONNECT_TIMEOUT': 'der Dienst antwortet nicht',
    'err.KEEPALIVE_TIMEOUT': 'die Verbindung hängt',
    'err.WEBSOCKET_ERROR': 'Verbindungsfehler',
    'err.REMOTE_CLOSE': 'vom Dienst geschlossen',
    'err.NO_PASSWORD_LOGIN': 'die Passwort-Anmeldung ist nicht freigeschaltet',
    'err.unknown': 'Fehler {code}',

    'login.title': 'Anmelden',
    'login.hint': 'Diese Seite ist außerhalb von myApps geöffnet. Operatoren dieses Dienstes melden sich mit Name und Passwort an; ein PBX-Administrator kann sich hier mit dem Passwort des App-Objekts dieser PBX anmelden (beliebiger Name) und sieht dann nur die Telefone dieser PBX.',
    'login.name': 'Name',
    'login.password': 'Passwort',
    'login.submit': 'Anmelden',

    'user.operator': 'Operator {name}',
    'user.appAdmin': '{name} (Administrator von {tenant})',
    'user.user': '{dn} ({domain})',

    'devices.title': 'Geräte',
    'devices.toggle': 'Geräteliste ein- oder ausblenden',
    'devices.domain': 'Domäne',
    'devices.allDomains': 'Alle Domänen',
    'devices.domainOption': '{name} ({online}/{total} online)',
    'devices.domainStale': '{name} — Verbindung unterbrochen',
    'devices.filter': 'Anzeigen',
    'devices.filterAll': 'Alle Geräte',
    'devices.filterOnline': 'Nur online',
    'devices.filterOffline': 'Nur offline',
    'devices.search': 'Suchen',
    'devices.searchPlaceholder': 'Name, Typ, IP, MAC, Firmware',
    'devices.range': '{from}–{to} von {total}',
    'devices.none': 'Keine passenden Geräte.',
    'devices.loading': 'Lade Geräte…',
    'devices.reconnecting': 'Verbinde erneut mit dem Geräteverzeichnis… (die angezeigte Liste ist eventuell veraltet)',
    'devices.prev': 'Vorherige Seite',
    'devices.next': 'Nächste Seite',
    'devices.online': 'online',
    'devices.offline': 'offline',
    'devices.stale': 'veraltet',
    'devices.staleTitle': 'Die devices-api-Verbindung, über die dieses Gerät gemeldet wurde, ist unterbrochen; die Daten können veraltet sein.',
    'devices.unsupported': 'nicht unterstützt',
    'devices.listLabel': 'Geräte, Seite {page}',
    'devices.error': 'Die Geräteliste konnte nicht geladen werden: {reason}',

    'phone.none': 'Bitte ein Telefon in der Geräteliste wählen.',
    'phone.loading': 'Lade das Telefon…',
    'phone.title': '{name} — {product}',
    'phone.faceLabel': 'Telefon {product}. Tasten werden an das Telefon gesendet; solange dieser Bereich den Fokus hat, wird getippter Text auf dem Telefon eingegeben.',
    'phone.screenLabel': 'Display des Telefons, {w}×{h} Pixel',
    'phone.screenTouchLabel': 'Touch-Display des Telefons, {w}×{h} Pixel: klicken zum Tippen, halten für langes Tippen',
    'phone.state.connecting': 'Verbinde mit dem Telefon…',
    'phone.state.online': 'Online',
    'phone.state.offline': 'Das Telefon ist offline.',
    'phone.state.stale': 'Die Verbindung zur Devices-App dieses Telefons ist unterbrochen; warte…',
    'phone.state.error': 'Telefonfehler: {reason}',
    'phone.watchFailed': 'Das Telefon kann nicht angezeigt werden: {reason}',
    'phone.reconnecting': 'Verbinde erneut mit dem Dienst… das Telefon wird gleich wieder angezeigt.',
    'phone.unsupported': 'Dieses Telefon kann nicht angezeigt werden: {reason}',
    'phone.modelFailed': 'Die Modelldaten von {product} konnten nicht geladen werden: {reason}',
    'phone.keyFailed': 'Taste {key}: {reason}',
    'phone.touchFailed': 'Touch: {reason}',
    'phone.frameError': 'Eine Display-Aktualisierung konnte nicht angezeigt werden: {reason}',
    'phone.help': 'Taste anklicken zum Drücken; 0,6 s oder länger halten für langes Drücken. Telefon fokussieren und tippen, um Text zu senden.',

    'key.fn': 'Funktionstaste {n}',
    'key.line': 'Zeilentaste {n}',
    'key.soft': 'Softkey {n}',
    'key.alpha': 'Buchstabe {l}',
    'key.digit': 'Ziffer {d}',
    'key.led': 'LED',
    'key.UP': 'Hoch',
    'key.DOWN': 'Runter',
    'key.LEFT': 'Links',
    'key.RIGHT': 'Rechts',
    'key.OK': 'OK',
    'key.CANCEL': 'Zurück',
    'key.HOME': 'Start',
    'key.MENU': 'Menü',
    'key.HOOK': 'Hörer (abheben oder auflegen)',
    'key.SPEAKER': 'Lautsprecher',
    'key.HEADSET': 'Headset',
    'key.MUTE': 'Stumm',
    'key.VOL_UP': 'Lauter',
    'key.VOL_DOWN': 'Leiser',
    'key.R': 'R (Rückfrage)',
    'key.REDIAL': 'Wahlwiederholung',
    'key.STAR': 'Stern (*)',
    'key.HASH': 'Raute (#)',
    'key.SHIFT': 'Umschalt',
    'key.SPACE': 'Leertaste',

    'regs.title': 'Registrierungen',
    'regs.none': 'Noch keine Registrierungsdaten.',
    'regs.slot': 'User-{n}',
    'regs.state.registered': 'registriert',
    'regs.state.not-configured': 'nicht konfiguriert',
    'regs.state.disabled': 'deaktiviert',
    'regs.state.failed': 'Registrierung fehlgeschlagen',
    'regs.field.state': 'Zustand',
    'regs.field.number': 'Rufnummer',
    'regs.field.name': 'Name',
    'regs.field.gatekeeper': 'Gatekeeper',
    'regs.field.protocol': 'Protokoll',
    'regs.field.error': 'Fehler',
    'regs.legend': 'grün: registriert · dunkelgrau: nicht konfiguriert · orange: deaktiviert · rot: fehlgeschlagen',

    'actions.title': 'Aktionen',
    'actions.action': 'Aktion',
    'actions.choose': 'Aktion wählen…',
    'actions.run': 'Ausführen',
    'actions.none': 'Dieses Telefon bietet keine Aktionen an.',
    'actions.arg.dial': 'Zu wählende Nummer',
    'actions.arg.hangup': 'Ruf-ID',
    'actions.arg': 'Argument',
    'actions.confirm': '„{action}“ auf {device} ausführen?',
    'actions.running': 'Wird ausgeführt…',
    'action.reboot': 'Neustart',
    'action.reboot-idle': 'Neustart wenn frei',
    'action.config-write': 'Konfiguration speichern',
    'action.config-activate': 'Konfiguration aktivieren',
    'action.update-check': 'Nach Updates suchen',
    'action.dial': 'Wählen',
    'action.hangup': 'Auflegen',
    'command.title': 'Befehl',
    'command.label': 'Befehlszeile (ein „!“-Befehl, z. B. config write)',
    'command.placeholder': 'config write',
    'command.send': 'Senden',
    'result.ok': 'OK',
    'result.failed': 'Fehlgeschlagen',
    'result.status': 'Status {status}',
    'result.error': 'Fehler: {reason}',

    'info.title': 'Informationen',
    'info.name': 'Name',
    'info.product': 'Modell',
    'info.family': 'Familie',
    'info.hwId': 'MAC-Adresse',
    'info.ip': 'IP-Adresse',
    'info.version': 'Firmware',
    'info.domain': 'Domäne',
    'info.screen': 'Display',
    'info.screenValue': '{w}×{h} px, {kind}',
    'info.colour': 'farbig',
    'info.mono': 'monochrom',
    'info.touch': 'Touch-Display',
    'info.ui': 'Bedienoberfläche',
    'info.ui.new': 'V11+ (Statusleiste und App-Leiste)',
    'info.ui.old': 'klassisch (Menüzeilen mit Zeilentasten)',
    'info.state': 'Zustand',
    'info.device': 'Geräte-ID',
    'info.drawing': 'Zeichnung',
    'info.drawingValue': '{verified} belegt, {inferred} abgeleitet, {defaults} Entwurfsannahmen',
    'info.facts': 'Woher die Zeichnung stammt',
    'info.fact.VERIFIED': 'belegt',
    'info.fact.INFERRED': 'abgeleitet',
    'info.fact.DESIGN DEFAULT': 'Entwurfsannahme',

    'kbd.title': 'Tastatur',
    'kbd.layout': 'Tastaturbelegung',
    'kbd.layout.qwerty': 'QWERTY (Englisch)',
    'kbd.layout.qwertz': 'QWERTZ (Deutsch)',
    'kbd.layout.azerty': 'AZERTY (Französisch)',
    'kbd.shift': 'Umschalt',
    'kbd.altgr': 'AltGr',
    'kbd.space': 'Leertaste',
    'kbd.hint': 'Telefon fokussieren und auf der PC-Tastatur tippen oder die Tasten unten anklicken.',
    'kbd.sent': 'Gesendet: {text}',
    'kbd.key': '{char} tippen',

    'admin.button': 'Admin-UI',
    'admin.title': 'Die Admin-Oberfläche dieses Telefons in einem neuen Fenster öffnen',
    'admin.failed': 'Die Admin-Oberfläche kann nicht geöffnet werden: {reason}',
    'admin.blocked': 'Der Browser hat das neue Fenster blockiert; bitte Pop-ups für diese App erlauben.',

    'menu.label': 'Menü',
    'drawer.label': 'Geräteliste',
    'fkeys.title': 'Funktionstasten',
    'fkeys.none': 'Dieses Telefon hat keine Funktionstasten.',
    'fkeys.hint': 'Die Beschriftungen, die das Telefon meldet, stehen an seinen Tasten. Wo es keine meldet, wird die hier gesetzte gezeigt, für alle Administratoren, die dieses Telefon ansehen.',
    'fkeys.save': 'Beschriftungen speichern',
    'fkeys.saving': 'Speichere…',
    'fkeys.saved': 'Beschriftungen gespeichert.',
    'fkeys.unchanged': 'Nichts geändert.',
    'fkeys.fromPhone': 'am Telefon: „{label}“',
    'fkeys.fromOperator': 'gezeigt: „{label}“',
    'fkeys.led.on': 'LED an',
    'fkeys.led.blink': 'LED blinkt',
    'fkeys.led.flash': 'LED blinkt schnell',
    'menu.status': 'Dienststatus',
    'menu.log': 'Log Service Connections',
    'menu.trace': 'Trace-Flags',
    'menu.audit': 'Audit-Protokoll',
    'menu.language': 'Sprache',
    'menu.logDone': 'Die Dienstverbindungen wurden ins Dienst-Log geschrieben.',
    'menu.logFailed': 'Das Protokollieren der Dienstverbindungen ist fehlgeschlagen: {reason}',

    'status.title': 'Dienststatus',
    'status.pbx': 'PBX-Verbindungen',
    'status.devicesApi': 'Devices-API-Verbindungen',
    'status.sessions': 'Beobachtete Telefone',
    'status.trace': 'Trace-Flags',
    'status.empty': 'keine',
    'status.refresh': 'Aktualisieren',
    'status.failed': 'Der Status konnte nicht gelesen werden: {reason}',
    'col.tenant': 'Mandant',
    'col.pbx': 'PBX',
    'col.state': 'Zustand',
    'col.since': 'Seit',
    'col.lics': 'Service-Lizenzen',
    'col.testMode': 'Lizenz-Testmodus',
    'status.licsNotSent': 'nicht gemeldet',
    'col.services': 'Dienste',
    'col.name': 'Name',
    'col.url': 'URL',
    'col.devices': 'Geräte',
    'col.domains': 'Domänen',
    'col.reconnects': 'Neuverbindungen',
    'col.lastError': 'Letzter Fehler',
    'cert.trust': 'Diesem Zertifikat vertrauen',
    'cert.trustTitle': 'Diesem Zertifikat vertrauen?',
    'cert.trustText': 'Mit {link} verbinden und genau dem Zertifikat mit dem SHA-256-Fingerabdruck {fp} vertrauen. Vergleichen Sie ihn zuerst mit dem, den die App Platform anzeigt. Ein anderes Zertifikat wird später abgelehnt.',
    'cert.trusted': 'Zertifikat für {link} festgelegt ({file}); verbinde neu',
    'cert.trustFailed': 'Das Zertifikat konnte nicht festgelegt werden: {reason}',
    'cert.pinned': 'festgelegt {pin}',
    'col.device': 'Gerät',
    'col.watchers': 'Beobachter',
    'col.frames': 'Bilder',
    'col.time': 'Zeit',
    'col.user': 'Benutzer',
    'col.what': 'Was',
    'col.result': 'Ergebnis',
    'col.id': 'ID',
    'col.flag': 'Flag',
    'col.on': 'Ein',

    'trace.title': 'Trace-Flags',
    'trace.hint': 'Die Trace-Ausgabe steht im Dienst-Log der App-Plattform.',
    'trace.apply': 'Übernehmen',
    'trace.saved': 'Trace-Flags gespeichert.',
    'trace.failed': 'Die Trace-Flags konnten nicht gesetzt werden: {reason}',
    'trace.flag.app': 'App',
    'trace.flag.appws': 'App-WebSocket',

    'audit.title': 'Audit-Protokoll',
    'audit.onlyThis': 'Nur das beobachtete Telefon',
    'audit.empty': 'Keine Einträge.',
    'audit.selectPhone': 'Wählen Sie ein Telefon, um sein Audit-Protokoll zu sehen.',
    'audit.failed': 'Das Audit-Protokoll konnte nicht gelesen werden: {reason}',

    'dialog.close': 'Schließen',
    'dialog.cancel': 'Abbrechen',
    'dialog.ok': 'OK',

    'preview.title': 'Vorschau von {product} ({family})',
    'preview.hint': 'Vorschaumodus: das Telefon wird nur aus den Modelldaten gezeichnet; es wird nichts gesendet.',
    'preview.log': 'Letzte Eingabe',
    'preview.key': 'Taste {key}',
    'preview.keyHold': 'Taste {key}, {ms} ms gehalten',
    'preview.touch': 'Touch {x}, {y}',
    'preview.touchHold': 'Touch {x}, {y}, {ms} ms gehalten',
    'preview.type': 'Tippen {keys}',
    'preview.labels': 'Beschriftung von {n} Tasten gesetzt (nur hier gezeichnet)',
    'preview.unknown': 'Unbekanntes Modell „{product}“.',
    'preview.unsupported': 'Modell {product} wird nicht unterstützt: {reason}',
    'preview.failed': 'Die Modelldaten konnten nicht geladen werden: {reason}',
    'preview.models': 'Modelle',
    'preview.screen': '{product} {w}×{h}',
  },
};

export const LANGUAGES = Object.keys(STRINGS);
const listeners = new Set();
let current = 'en';
let chosenByUser = false;

/** Map any language tag to one we have ("de-AT" → "de", else "en"). */
export function pickLanguage(tag) {
  const base = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return STRINGS[base] ? base : 'en';
}

/** Translate `key`, filling `{name}` placeholders from params; unknown keys show as the key. */
export function t(key, params) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined && params[name] !== null ? String(params[name]) : m));
}

/** True if the string table has `key`. */
export function has(key) { return key in STRINGS.en; }

/** Strings that a part of the app keeps next to its code ({en: {...}, de: {...}}), added to the tables. */
export function addStrings(tables) {
  for (const [lang, map] of Object.entries(tables)) if (STRINGS[lang]) Object.assign(STRINGS[lang], map);
}

/** Readable text for an error code (+ the server's errorText as a fallback). */
export function errorText(code, serverText) {
  if (code && has(`err.${code}`)) return t(`err.${code}`);
  if (serverText) return String(serverText);
  return t('err.unknown', { code: code || '?' });
}

/** Readable text for a `…Result` carrying `error`/`errorText`, or a rejected request. */
export function resultError(r) {
  if (!r) return errorText(null);
  return errorText(r.error, r.errorText);
}

export function getLanguage() { return current; }

/**
 * Switch language. `byUser` marks an explicit choice (menu), which later hints from myApps
 * do not override.
 */
export function setLanguage(lang, { byUser = false } = {}) {
  const l = pickLanguage(lang);
  if (!byUser && chosenByUser) return;
  if (byUser) { chosenByUser = true; storeChoice(l); }
  if (l === current) return;
  current = l;
  if (typeof document !== 'undefined') {
    document.documentElement.lang = l;
    applyStatic(document);
  }
  for (const fn of listeners) { try { fn(l); } catch (e) { console.error(e); } }
}

/** Call fn(lang) whenever the language changes; returns an unsubscribe function. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Fill static markup: `data-i18n="key"` sets textContent, `data-i18n-attr="attr:key;attr:key"`
 * sets attributes (aria-label, title, placeholder).
 */
export function applyStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.getAttribute('data-i18n'));
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.getAttribute('data-i18n-attr').split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

const STORE_KEY = 'mpk.lang';
function storeChoice(l) { try { localStorage.setItem(STORE_KEY, l); } catch (_) { /* storage blocked: not kept */ } }
function storedChoice() { try { return localStorage.getItem(STORE_KEY); } catch (_) { return null; } }

/**
 * Initial language: the user's earlier menu choice, else the explicit argument (myApps `lang`),
 * else the browser's.
 */
export function initLanguage(explicit) {
  const nav = typeof navigator !== 'undefined' ? (navigator.languages && navigator.languages[0]) || navigator.language : 'en';
  const stored = storedChoice();
  chosenByUser = !!(stored && STRINGS[stored]);
  current = pickLanguage(chosenByUser ? stored : explicit || nav);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = current;
    applyStatic(document);
  }
}

/** Numbers in the current language. */
export function fmtNumber(n) {
  try { return new Intl.NumberFormat(current === 'de' ? 'de-DE' : 'en-US').format(n); } catch (_) { return String(n); }
}

/** A timestamp (ms, seconds or ISO string) in the current language. */
export function fmtTime(v) {
  if (v === undefined || v === null || v === '') return '';
  let d;
  if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v);
  else d = new Date(v);
  if (Number.isNaN(d.getTime())) return String(v);
  try { return d.toLocaleString(current === 'de' ? 'de-DE' : 'en-GB'); } catch (_) { return d.toISOString(); }
}
