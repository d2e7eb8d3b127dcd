// Headless Chromium from the machine (Debian's `chromium` package), driven by playwright-core:
// no browser download. Every page is offline: a request to anything but the server under
// test fails the test, as do page errors and Content-Security-Policy violations.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../support/server.js';
import { call, defaultToken } from './api.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: SCREENSHOT_DIR, else tests/browser/screenshots/. */
export const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR ?? path.join(here, '..', 'screenshots'));

export async function launchBrowser() {
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}: install Debian's chromium package or set CHROMIUM_PATH`);
  // The sandbox needs user namespaces, which containers and root CI runners often lack.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/**
 * A fresh context (own memory, no storage) and page on `baseUrl`. `problems` collects page
 * errors, CSP violations and requests that would leave the machine; `check()` asserts none.
 */
export async function openPage(browser, baseUrl, { viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const origin = new URL(baseUrl).origin;
  const problems = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:')) return route.continue();
    problems.push(`request outside the server: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('dialog', (dialog) => dialog.accept());
  return {
    context,
    page,
    problems,
    check() {
      assert.deepEqual(problems, [], 'the page stayed offline, without errors or CSP violations');
    },
    async screenshot(name, { fullPage = true } = {}) {
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage });
    },
  };
}

/**
 * The binary started with `args`, a browser and one page on it, and `api(method, path, body)`
 * for checks through the API (with the default client's token when `withToken`).
 */
export async function startConsole(args, { withToken = false } = {}) {
  const server = await startServer(args);
  const token = withToken ? await defaultToken(server.baseUrl) : undefined;
  const browser = await launchBrowser();
  const view = await openPage(browser, server.baseUrl);
  const api = (method, route, body) => call(server.baseUrl, method, route, { body, token });
  return { server, browser, view, api };
}

/** Checks the page stayed clean, then closes the browser and stops the server. */
export async function closeConsole({ server, browser, view } = {}) {
  try {
    view?.check();
  } finally {
    await browser?.close();
    await server?.stop();
  }
}
