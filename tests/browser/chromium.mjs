// Launch Debian's Chromium (/usr/bin/chromium, never a downloaded browser) through playwright-core,
// headless, with the flags that keep it off the network, in a new empty profile that is removed
// on close. Shared by the browser tests and bench/report-load.mjs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.QA_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Return {context, close}: a browser context in a fresh profile; `close` also removes the profile.
export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`cannot start chromium: "${CHROMIUM}" does not exist (scripts/bootstrap installs it)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'qa-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, serviceWorkers: 'block',
    });
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

// Abort every request of `context` that is not a file:// one; return the list of the URLs that
// were attempted (it should stay empty for a page that works offline).
export async function blockNetwork(context) {
  const attempted = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    attempted.push(url);
    return route.abort();
  });
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !attempted.includes(url)) attempted.push(url);
  });
  return attempted;
}
