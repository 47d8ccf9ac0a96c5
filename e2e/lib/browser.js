// Headless Chromium (Debian's /usr/bin/chromium, driven by puppeteer-core, which never
// downloads a browser) and the axe-core accessibility check run inside it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import puppeteer from 'puppeteer-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const axeVersion = require('axe-core/package.json').version;

/** The WCAG 2.2 AA rule sets: every level A and AA rule up to 2.2. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export function chromiumPath() {
  return process.env.CHROMIUM_BIN || '/usr/bin/chromium';
}

/** Launches headless Chromium with the flags this closed network needs. */
export function launch() {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Debian's wrapper script and a cold start can be slow on 2 cores.
    timeout: 60_000,
    protocolTimeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-breakpad',
      '--disable-crash-reporter',
      '--disable-features=Translate,MediaRouter,OptimizationHints',
    ],
  });
}

/**
 * Runs axe-core on the page as it is now, limited to WCAG 2.2 A and AA. axe is evaluated
 * through the DevTools protocol, not added to the page, so it works on pages that run no
 * JavaScript of their own too.
 */
export async function axe(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(
    (tags) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations', 'incomplete'],
      }),
    AXE_TAGS,
  );
}

/** One line per violated rule and one indented line per offending element. */
export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}\n        ${n.html}`)
        .join('\n');
      return `    [${v.impact}] ${v.id}: ${v.help} (${v.tags.filter((t) => t.startsWith('wcag')).join(', ')})\n${nodes}`;
    })
    .join('\n');
}

/**
 * WCAG 1.4.10 Reflow. At 320 CSS pixels wide (1280 zoomed to 400%) nothing may stick out
 * sideways except data tables, which need two dimensions; at 1280 pixels (a desktop) the
 * page, tables included, must not scroll sideways at all. Returns the offending elements at
 * 320 px (at most 10) and the page's scroll width at 1280 px.
 */
export async function reflow(page) {
  const before = page.viewport();
  try {
    await page.setViewport({ width: 1280, height: 800 });
    const wide = await page.evaluate(() => ({
      viewport: document.documentElement.clientWidth,
      scrollWidth: document.documentElement.scrollWidth,
    }));
    await page.setViewport({ width: 320, height: 800 });
    const narrow = await page.evaluate(() => {
      const viewport = document.documentElement.clientWidth;
      const name = (e) =>
        e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + [...e.classList].map((c) => `.${c}`).join('');
      const out = [];
      for (const e of document.body.querySelectorAll('*')) {
        if (e.closest('table, script, style, template, .govuk-visually-hidden, .govuk-skip-link')) continue;
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.right > viewport + 1 || r.left < -1) {
          out.push(`${name(e)} spans ${Math.round(r.left)}..${Math.round(r.right)} px: "${(e.textContent || '').trim().slice(0, 60)}"`);
        }
      }
      return { viewport, offenders: out.slice(0, 10), more: Math.max(0, out.length - 10) };
    });
    const problems = narrow.offenders.map((o) => `at 320 px: ${o}`);
    if (narrow.more) problems.push(`at 320 px: and ${narrow.more} more`);
    if (wide.scrollWidth > wide.viewport) {
      problems.push(`at 1280 px the page scrolls sideways: ${wide.scrollWidth} px wide for a ${wide.viewport} px window`);
    }
    return problems;
  } finally {
    await page.setViewport(before);
  }
}
