// The setup (data set, config, JS strategy, sweep grid) round-trips through the URL's fragment,
// so a link reproduces a run, and through localStorage, so a reload keeps it. A user's file is
// not in the link (it may be large and private): it is kept in localStorage when it fits.

const KEY = 'tidemark.playground.setup';
const FILE_KEY = 'tidemark.playground.file';

const toB64 = (s) => btoa(String.fromCharCode(...new TextEncoder().encode(s))).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
const fromB64 = (s) => new TextDecoder().decode(Uint8Array.from(atob(s.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)));

/** The setup in the URL (#s=...), else the saved one, else null. */
export function loadSetup() {
  const m = /[#&]s=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    try {
      return { setup: JSON.parse(fromB64(m[1])), from: 'link' };
    } catch {
      return { setup: null, from: 'link', error: 'The link’s setup could not be read; the default sample is shown.' };
    }
  }
  try {
    const saved = localStorage.getItem(KEY);
    if (saved) return { setup: JSON.parse(saved), from: 'storage' };
  } catch {
    // storage disabled: start from the default
  }
  return { setup: null, from: 'default' };
}

/** Writes the setup to the URL (replacing the history entry) and to localStorage. */
export function saveSetup(setup) {
  const text = JSON.stringify(setup);
  history.replaceState(null, '', `${location.pathname}${location.search}#s=${toB64(text)}`);
  try {
    localStorage.setItem(KEY, text);
  } catch {
    // quota or disabled storage: the link still carries it
  }
}

export function shareLink() {
  return location.href;
}

/** Keeps a user's file for reloads when storage has room; says whether it did (a big file
 * arrives without its text). */
export function saveFile(label, text) {
  // Larger files are not kept: writing megabytes to localStorage stalls the page (measured:
  // ~100 ms tasks for 3.6 MB) and most browsers cap it near 5 MB anyway.
  if (text === undefined || text.length > MAX_KEPT) {
    forgetFile();
    return false;
  }
  try {
    localStorage.setItem(FILE_KEY, JSON.stringify({ label, text }));
    return true;
  } catch {
    forgetFile();
    return false;
  }
}

/** The largest user file (in characters) kept for a reload. */
export const MAX_KEPT = 1_000_000;
function forgetFile() {
  try {
    localStorage.removeItem(FILE_KEY);
  } catch {
    // nothing to clean
  }
}

export function loadFile() {
  try {
    const f = localStorage.getItem(FILE_KEY);
    return f ? JSON.parse(f) : null;
  } catch {
    return null;
  }
}
