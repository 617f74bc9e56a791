// Debian's Chromium for the browser tests and benches: where it is, and the flags that run it
// quietly, offline and headless on this machine (reference/stack.md §4.3). Never downloads one.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** True when running in CI (`CI` set to anything but empty, `0` or `false`). */
export function isCI() {
  const v = (process.env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}
