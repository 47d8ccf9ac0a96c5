// End-to-end page tests in headless Chromium: signing in, searching people, recording a
// person, opening a restricted record, the audit log, and first contact (taking a call with
// its THRIVE, the incident page and its forms, the queue, the supervisor's review), each
// page checked by axe-core against WCAG 2.2 A and AA; sign-in, search and the queue's filter
// again with JavaScript switched off; and the print stylesheet. Needs the `bluelamp` binary
// (BLUELAMP_BIN, default target/debug/bluelamp) and Chromium (CHROMIUM_BIN, default
// /usr/bin/chromium). Run through e2e/run.sh.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Bluelamp } from '../lib/bluelamp.js';
import { launch, axe, reflow, axeVersion, describeViolations, AXE_TAGS } from '../lib/browser.js';

const artifacts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
const TIMEOUT = 120_000;

const FORCE = 'Exampleshire Police';
const TEAM = 'Serious Crime';
const users = {
  investigator: { username: 'ivy.investigator', password: 'investigator password 1', roles: ['investigator'], displayName: 'DC 101 Ivy Irwin' },
  socA: { username: 'sam.soc', password: 'soc officer password A', roles: ['soc_officer'], teams: [TEAM], displayName: 'DS 202 Sam Sutton' },
  socB: { username: 'tara.soc', password: 'soc officer password B', roles: ['soc_officer'], teams: [TEAM], displayName: 'DC 303 Tara Tran' },
  admin: { username: 'ada.admin', password: 'administrator password', roles: ['admin'], displayName: 'Ada Admin' },
  callHandler: { username: 'cal.handler', password: 'call handler password', roles: ['call_handler'], displayName: 'Call Handler 7 Cal Carter' },
  supervisor: { username: 'sue.supervisor', password: 'supervisor password 1', roles: ['supervisor'], displayName: 'PS 404 Sue Simms' },
};

/** The pages that must each have been checked by axe before the final test passes. */
const REQUIRED_PAGES = [
  'sign-in',
  'sign-in with errors',
  'home',
  'search people',
  'search results',
  'search with errors',
  'person form',
  'person form with errors',
  'likely matches',
  'person page',
  'reason page',
  'reason page with errors',
  'restricted person page',
  '404 page',
  'audit log',
  'sign-in without JavaScript',
  'sign-in with errors without JavaScript',
  'search results without JavaScript',
  'take a call',
  'take a call with errors',
  'incident page',
  're-assess form',
  're-assess form with errors',
  'attendance form',
  'crime-recording decision form',
  'close form',
  'incident queue',
  'incident queue filtered without JavaScript',
  'first-contact review',
  'crime page',
  'allocation form',
  'allocation form with errors',
  'victim form',
  'victim contact log',
  'my duties',
  'team view',
  'my investigations',
  'investigation measures',
];

let bl;
let browser;
const seeded = {};
/** axe-core's findings, one entry per page checked. */
const checked = [];

before(async () => {
  bl = new Bluelamp();
  bl.migrate(FORCE, 'EXA');
  for (const u of Object.values(users)) bl.addUser(u);
  await bl.serve();

  // Seed through the JSON API, as a team member of Serious Crime.
  const token = await bl.token(users.socA.username, users.socA.password);
  const open = await bl.api('POST', '/api/v1/persons', {
    token,
    body: {
      forenames: 'William',
      surname: 'Smith',
      aliases: [{ forenames: 'Bill', surname: 'Smyth' }],
      date_of_birth: '1971-03-09',
      sex: 'male',
      ethnicity: 'W1',
    },
  });
  seeded.open = open.id ?? open.person?.id;
  const hidden = await bl.api('POST', '/api/v1/persons', {
    token,
    body: {
      forenames: 'Margaret',
      surname: 'Quigley',
      date_of_birth: '1984-11',
      sex: 'female',
      warning_markers: [{ kind: 'weapons', from: '2024-05-01', note: 'Carries a knife' }],
    },
  });
  seeded.restricted = hidden.id ?? hidden.person?.id;
  assert.ok(seeded.open && seeded.restricted, 'the API answered with the new persons\' ids');
  const status = await bl.api('PUT', `/api/v1/records/${seeded.restricted}/restriction`, {
    token,
    body: { teams: [TEAM] },
  });
  assert.equal(status.restricted, true);

  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (bl) {
    const log = bl.log.join('');
    await bl.stop();
    if (log.trim()) console.log(`# bluelamp serve wrote on standard error:\n${log.replace(/^/gm, '# ')}`);
  }
});

// ---------------------------------------------------------------------------------------
// Helpers

/** A fresh browser context (its own cookies) and page; JavaScript on unless `js: false`. */
async function newPage({ js = true } = {}) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setJavaScriptEnabled(js);
  page.setDefaultTimeout(30_000);
  page.setDefaultNavigationTimeout(30_000);
  // Script errors, and any file a page asks for that fails (the page itself may answer
  // 401, 404 or 422 on purpose; the browser's own /favicon.ico request is not the page's).
  const errors = [];
  page.on('pageerror', (e) => errors.push(`script error: ${e}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => errors.push(`${r.url()} failed: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    const req = r.request();
    const favicon = new URL(r.url()).pathname === '/favicon.ico';
    if (r.status() >= 400 && req.resourceType() !== 'document' && !favicon) {
      errors.push(`${r.url()} answered ${r.status()}`);
    }
  });
  page.scriptErrors = errors;
  return { context, page };
}

async function goto(page, pathname) {
  return page.goto(bl.base + pathname, { waitUntil: 'load' });
}

/** Clicks and waits for the page it leads to; returns that response. */
async function clickAndWait(page, selector) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
  return res;
}

/** Replaces a field's text the way a person would: select all, then type. */
async function fill(page, selector, value) {
  await page.click(selector, { count: 3 });
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  if (value) await page.type(selector, value);
}

async function text(page, selector) {
  return page.$eval(selector, (e) => e.textContent.replace(/\s+/g, ' ').trim());
}

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** Runs axe-core on the page and keeps what it found under `label`. */
async function check(page, label, t) {
  // Open every closed <details> first, so that what it holds is checked too.
  const opened = await page.evaluate(() => {
    const closed = [...document.querySelectorAll('details:not([open])')];
    for (const d of closed) d.open = true;
    return closed.length;
  });
  const r = await axe(page);
  const rf = await reflow(page);
  if (process.env.E2E_SCREENSHOTS) {
    // For a person to look at: every checked page, as the browser drew it.
    mkdirSync(artifacts, { recursive: true });
    const file = label.replace(/[^a-z0-9]+/gi, '-');
    await page.screenshot({ path: path.join(artifacts, `${file}.png`), fullPage: true });
  }
  if (opened) {
    await page.evaluate(() => {
      for (const d of document.querySelectorAll('details[open]')) d.open = false;
    });
  }
  checked.push({ label, url: pathOf(page), title: await page.title(), violations: r.violations, incomplete: r.incomplete, reflow: rf });
  const rules = r.violations.map((v) => v.id).join(', ');
  t?.diagnostic(`axe ${label} (${pathOf(page)}): ${r.violations.length} violation(s)${rules ? `: ${rules}` : ''}, ${r.incomplete.length} to check by hand; reflow: ${rf.length ? rf.join('; ') : 'fits 320 and 1280 px'}`);
}

/** Signs in on the sign-in page the browser is on. */
async function signIn(page, user, password = user.password) {
  await fill(page, '#username', user.username);
  await fill(page, '#password', password);
  return clickAndWait(page, 'form[action="/sign-in"] button[type="submit"]');
}

/** Signs in from scratch in a new context, landing on `pathname`. */
async function signedInPage(user, pathname = '/') {
  const ctx = await newPage();
  await goto(ctx.page, `/sign-in?next=${encodeURIComponent(pathname)}`);
  await signIn(ctx.page, user);
  assert.equal(new URL(ctx.page.url()).pathname, pathname.split('?')[0]);
  return ctx;
}

async function screenshotOnFailure(page, name, fn) {
  try {
    await fn();
  } catch (e) {
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true }).catch(() => {});
    writeFileSync(path.join(artifacts, `${name}.html`), await page.content().catch(() => ''));
    throw e;
  }
}

/** The error summary comes before the page's heading and links to fields that exist. */
async function assertErrorSummaryFirst(page, { focused }) {
  const s = await page.evaluate(() => {
    const summary = document.querySelector('.govuk-error-summary');
    const h1 = document.querySelector('main h1');
    if (!summary) return null;
    const links = [...summary.querySelectorAll('.govuk-error-summary__list a')].map((a) => a.getAttribute('href'));
    return {
      title: summary.querySelector('.govuk-error-summary__title')?.textContent.trim(),
      beforeHeading: !!(h1 && summary.compareDocumentPosition(h1) & Node.DOCUMENT_POSITION_FOLLOWING),
      links,
      targetsExist: links.every((h) => h.startsWith('#') && document.getElementById(h.slice(1))),
      focused: !!document.activeElement?.closest('.govuk-error-summary'),
      documentTitle: document.title,
    };
  });
  assert.ok(s, 'an error summary is shown');
  assert.equal(s.title, 'There is a problem');
  assert.ok(s.beforeHeading, 'the error summary comes before the <h1>');
  assert.ok(s.links.length > 0, 'the error summary lists the errors');
  assert.ok(s.targetsExist, `every error links to a field on the page: ${s.links.join(' ')}`);
  assert.match(s.documentTitle, /^Error: /);
  if (focused) assert.ok(s.focused, 'the error summary has the focus (GOV.UK Frontend JS)');
  return s;
}

// ---------------------------------------------------------------------------------------
// The flows

test('sign-in: returns to the page asked for; a wrong password shows the error summary', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await newPage();
  await screenshotOnFailure(page, 'sign-in', async () => {
    await goto(page, '/persons');
    assert.equal(pathOf(page), '/sign-in?next=%2Fpersons');
    assert.equal(await text(page, 'main h1'), 'Sign in');
    assert.match(await page.title(), /^Sign in – Bluelamp – Exampleshire Police$/);
    await check(page, 'sign-in', t);
    // The first Tab reaches the skip link, which then shows.
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const e = document.activeElement;
      const r = e.getBoundingClientRect();
      return { cls: e.className, href: e.getAttribute('href'), width: r.width, height: r.height };
    });
    assert.equal(skip.cls, 'govuk-skip-link');
    assert.equal(skip.href, '#main-content');
    assert.ok(skip.width > 10 && skip.height > 10, `the focused skip link is visible: ${JSON.stringify(skip)}`);

    await signIn(page, users.investigator, 'not the password');
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await assertErrorSummaryFirst(page, { focused: true });
    await check(page, 'sign-in with errors', t);

    // The username is kept; the password is not.
    assert.equal(await page.$eval('#username', (e) => e.value), users.investigator.username);
    assert.equal(await page.$eval('#password', (e) => e.value), '');
    const res = await signIn(page, users.investigator);
    assert.equal(res.status(), 200);
    assert.equal(pathOf(page), '/persons', 'signed in, the browser comes back to the page it asked for');
    assert.equal(await text(page, 'main h1'), 'Search people');
    await check(page, 'search people', t);

    await goto(page, '/');
    assert.equal(await text(page, 'main h1'), 'Home');
    assert.match(await text(page, 'main'), /Signed in as DC 101 Ivy Irwin/);
    await check(page, 'home', t);
    assert.deepEqual(page.scriptErrors, [], 'no script errors');
  });
  await context.close();
});

test('search: people are found with a match score', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await signedInPage(users.investigator, '/persons');
  await screenshotOnFailure(page, 'search', async () => {
    await fill(page, '#name', 'bill smyth');
    await fill(page, '#dob', '1971');
    await clickAndWait(page, 'form[action="/persons"] button[type="submit"]');
    assert.match(pathOf(page), /^\/persons\?name=bill\+smyth&dob=1971/);
    assert.equal(await text(page, 'main h2'), '1 person matches');
    const row = await page.$eval('main table tbody tr', (tr) => ({
      name: tr.querySelector('th').textContent.trim(),
      href: tr.querySelector('th a').getAttribute('href'),
      score: tr.querySelector('.bl-score').textContent.replace(/\s+/g, ' ').trim(),
    }));
    assert.equal(row.name, 'SMITH, William');
    assert.equal(row.href, `/persons/${seeded.open}`);
    assert.match(row.score, /^\d{1,3} out of 100$/);
    await check(page, 'search results', t);

    // A date of birth that cannot be: the error summary, and the search kept.
    await fill(page, '#dob', '1971-13-45');
    await clickAndWait(page, 'form[action="/persons"] button[type="submit"]');
    const s = await assertErrorSummaryFirst(page, { focused: true });
    assert.deepEqual(s.links, ['#dob']);
    assert.equal(await page.$eval('#name', (e) => e.value), 'bill smyth');
    await check(page, 'search with errors', t);

    // The restricted person does not exist for an investigator outside the team.
    await fill(page, '#name', 'margaret quigley');
    await fill(page, '#dob', '');
    await clickAndWait(page, 'form[action="/persons"] button[type="submit"]');
    assert.equal(await text(page, 'main h2'), '0 people match');
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();
});

test('record a person: the error summary first, then likely matches, then the person page', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await signedInPage(users.investigator, '/persons/new');
  await screenshotOnFailure(page, 'record-person', async () => {
    assert.equal(await text(page, 'main h1'), 'Record a person');
    await check(page, 'person form', t);

    await clickAndWait(page, 'main form button[type="submit"]');
    const s = await assertErrorSummaryFirst(page, { focused: true });
    assert.ok(s.links.includes('#surname'), `the summary links to the surname: ${s.links}`);
    assert.deepEqual(await page.$eval('#surname', (e) => e.getAttribute('aria-describedby').split(/\s+/).filter(Boolean)), ['surname-error']);
    await check(page, 'person form with errors', t);
    // A link in the summary takes the focus to its field (GOV.UK Frontend JS).
    await page.click('.govuk-error-summary a[href="#surname"]');
    await page.waitForFunction(() => document.activeElement?.id === 'surname');

    await fill(page, '#forenames', 'William');
    await fill(page, '#surname', 'Smith');
    await fill(page, '#date_of_birth', '1971-03-09');
    await page.select('#sex', 'male');
    await clickAndWait(page, 'main form button[type="submit"]');
    assert.equal(await text(page, 'main h1'), 'Is this one of these people?');
    const match = await page.$eval('main table tbody tr', (tr) => ({
      href: tr.querySelector('th a').getAttribute('href'),
      score: tr.querySelector('.bl-score').textContent.replace(/\s+/g, ' ').trim(),
    }));
    assert.equal(match.href, `/persons/${seeded.open}`);
    assert.match(match.score, /^\d{1,3} out of 100$/);
    await check(page, 'likely matches', t);

    await clickAndWait(page, 'main form button[type="submit"]');
    assert.match(new URL(page.url()).pathname, /^\/persons\/[0-9a-f-]{36}$/);
    assert.notEqual(new URL(page.url()).pathname, `/persons/${seeded.open}`);
    assert.equal(await text(page, 'main h1'), 'William SMITH');
    assert.match(await text(page, 'main .govuk-summary-list'), /1971-03-09|9 March 1971/);
    await check(page, 'person page', t);
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();
});

test('restricted record: a team member states a reason, then sees it marked restricted', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await newPage();
  await screenshotOnFailure(page, 'restricted', async () => {
    const here = `/persons/${seeded.restricted}`;
    await goto(page, here);
    assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent(here)}`);
    await signIn(page, users.socB);
    assert.equal(new URL(page.url()).pathname, `/records/${seeded.restricted}/reason`);
    assert.equal(await text(page, 'main h1'), 'State your reason');
    await check(page, 'reason page', t);

    await clickAndWait(page, 'main form button[type="submit"]');
    const s = await assertErrorSummaryFirst(page, { focused: true });
    assert.deepEqual(s.links, ['#reason']);
    await check(page, 'reason page with errors', t);

    await fill(page, '#reason', 'Operation Kestrel: checking an associate named in intelligence report 42');
    await clickAndWait(page, 'main form button[type="submit"]');
    assert.equal(new URL(page.url()).pathname, here);
    assert.equal(await text(page, 'main h1'), 'Margaret QUIGLEY');
    assert.match(await text(page, 'main'), /This record is restricted/);
    assert.match(await text(page, 'main'), /Warning markers: /);
    await check(page, 'restricted person page', t);
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();
});

test('restricted record: an investigator outside the team gets "Page not found"', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await signedInPage(users.investigator, '/');
  await screenshotOnFailure(page, 'not-found', async () => {
    const res = await goto(page, `/persons/${seeded.restricted}`);
    assert.equal(res.status(), 404);
    assert.equal(await text(page, 'main h1'), 'Page not found');
    assert.doesNotMatch(await page.content(), /Quigley|Margaret/i);
    await check(page, '404 page', t);
  });
  await context.close();
});

test('audit log: the admin reads who opened the restricted record and why', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await signedInPage(users.admin, '/audit');
  await screenshotOnFailure(page, 'audit', async () => {
    assert.equal(await text(page, 'main h1'), 'Audit log');
    assert.match(await text(page, 'main table'), /Operation Kestrel/);
    await check(page, 'audit log', t);
  });
  await context.close();
});

test('first contact: take a call with its THRIVE, the incident, its forms, the queue and the review', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await signedInPage(users.callHandler, '/incidents/new');
  let incident;
  await screenshotOnFailure(page, 'first-contact', async () => {
    assert.equal(await text(page, 'main h1'), 'Take a call');
    await check(page, 'take a call', t);

    // A crime with an incomplete THRIVE: the summary names each missing element.
    await fill(page, '#reference', 'INC-E2E-1');
    await page.select('#category', 'crime');
    await fill(page, '#thrive-threat-rationale', 'Ex-partner outside, has made threats');
    await clickAndWait(page, 'main form button[type="submit"]');
    const s = await assertErrorSummaryFirst(page, { focused: true });
    for (const id of ['#summary', '#thrive-threat-level', '#thrive-harm-level']) {
      assert.ok(s.links.includes(id), `the summary links to ${id}: ${s.links.join(' ')}`);
    }
    assert.equal(await page.$eval('#reference', (e) => e.value), 'INC-E2E-1', 'what was typed is kept');
    await check(page, 'take a call with errors', t);

    await fill(page, '#summary', 'Ex-partner at the door, threats made');
    await fill(page, '#location-address_lines', '4 Saffron Lane');
    await fill(page, '#location-postcode', 'LE2 6UH');
    const levels = { threat: 'high', harm: 'medium', risk: 'high', investigation: 'medium', vulnerability: 'high', engagement: 'medium' };
    for (const [element, level] of Object.entries(levels)) {
      await page.click(`input[name="thrive-${element}-level"][value="${level}"]`);
      await fill(page, `#thrive-${element}-rationale`, `${element} judged ${level} on what the caller says`);
    }
    await page.click('input[name="thrive-vulnerability-factors"][value="domestic_abuse"]');
    await page.click('input[name="advice-evidence_preservation-given"][value="yes"]');
    await page.click('input[name="advice-crime_prevention-given"][value="no"]');
    await fill(page, '#advice-crime_prevention-reason', 'The caller rang off first');
    await clickAndWait(page, 'main form button[type="submit"]');
    assert.match(new URL(page.url()).pathname, /^\/incidents\/[0-9a-f-]{36}$/);
    incident = new URL(page.url()).pathname;
    assert.equal(await text(page, 'main h1'), 'INC-E2E-1');
    assert.match(await text(page, 'main'), /Emergency/);
    assert.match(await text(page, 'main'), /Waiting in the incident-management queue: Emergency grade/);
    await check(page, 'incident page', t);

    // Re-assess: a downgrade without a rationale is refused.
    await goto(page, `${incident}/assess`);
    assert.equal(await text(page, 'main h1'), 'Re-assess the incident');
    await check(page, 're-assess form', t);
    for (const element of Object.keys(levels)) {
      await page.click(`input[name="thrive-${element}-level"][value="low"]`);
    }
    await clickAndWait(page, 'main form button[type="submit"]');
    const r = await assertErrorSummaryFirst(page, { focused: true });
    assert.deepEqual(r.links, ['#grade_rationale']);
    await check(page, 're-assess form with errors', t);

    await goto(page, `${incident}/attendance`);
    assert.equal(await text(page, 'main h1'), 'Record attendance');
    await check(page, 'attendance form', t);
    await goto(page, `${incident}/crime-recording-decision`);
    assert.equal(await text(page, 'main h1'), 'Crime-recording decision');
    await check(page, 'crime-recording decision form', t);
    await goto(page, `${incident}/closure`);
    assert.equal(await text(page, 'main h1'), 'Close the incident');
    await check(page, 'close form', t);

    await goto(page, '/queues/incident-management');
    assert.equal(await text(page, 'main h1'), 'Incident-management queue');
    assert.equal(await page.$eval('main table tbody tr th a', (a) => a.getAttribute('href')), incident);
    await check(page, 'incident queue', t);
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();

  // The queue's filter works without JavaScript.
  const noJs = await signedInPage(users.callHandler, '/');
  await screenshotOnFailure(noJs.page, 'queue-no-js', async () => {
    await noJs.page.setJavaScriptEnabled(false);
    await goto(noJs.page, '/queues/incident-management');
    await scriptsOn(noJs.page);
    await noJs.page.select('#grade', 'scheduled');
    await submitWithoutScripts(noJs.page, 'main form button[type="submit"]');
    assert.match(pathOf(noJs.page), /^\/queues\/incident-management\?area=&grade=scheduled$/);
    assert.match(await text(noJs.page, 'main h2'), /^0 incidents waiting \(filtered\)$/);
    await assertRanNoScript(noJs.page);
    await check(noJs.page, 'incident queue filtered without JavaScript', t);
  });
  await noJs.context.close();

  const sup = await signedInPage(users.supervisor, '/reviews/first-contact');
  await screenshotOnFailure(sup.page, 'review', async () => {
    assert.equal(await text(sup.page, 'main h1'), 'First-contact review');
    assert.match(await text(sup.page, 'main'), /Deadlines: THRIVE completion and crime-recording decisions/);
    await check(sup.page, 'first-contact review', t);
    await goto(sup.page, incident);
    assert.equal(await text(sup.page, 'main h1'), 'INC-E2E-1');
    assert.deepEqual(sup.page.scriptErrors, []);
  });
  await sup.context.close();
});

// Chromium runs no DevTools evaluation either while a page's scripts are off, so each page
// is loaded with scripts off, then inspected (and its fields typed into) with them back on:
// a script the page skipped is not run later, so what is inspected is the page as loaded
// without JavaScript. Scripts go off again before the keyboard submits the form.
async function scriptsOn(page) {
  await page.setJavaScriptEnabled(true);
}
async function submitWithoutScripts(page, buttonSelector) {
  await page.focus(buttonSelector);
  await page.setJavaScriptEnabled(false);
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  await scriptsOn(page);
  return res;
}
async function assertRanNoScript(page) {
  const state = await page.evaluate(() => ({
    bodyClass: document.body.className,
    initialised: [...document.querySelectorAll('*')].flatMap((e) => e.getAttributeNames().filter((n) => /^data-govuk-.*-init$/.test(n))),
    htmx: typeof window.htmx,
  }));
  assert.doesNotMatch(state.bodyClass, /js-enabled/, 'the page ran no script of its own');
  assert.deepEqual(state.initialised, [], 'no GOV.UK Frontend component was started');
  assert.equal(state.htmx, 'undefined', 'htmx did not run');
}

test('investigation: the crime page, an allocation, a victim and their contact log, the work lists', { timeout: TIMEOUT }, async (t) => {
  const token = await bl.token(users.investigator.username, users.investigator.password);
  const crime = await bl.api('POST', '/api/v1/crimes', {
    token,
    body: { reference: 'CR/E2E/1', offence_code: '28E', committed_from: '2026-01-02T10:00:00Z', recorded_at: '2026-01-02T11:00:00Z' },
  });
  const person = await bl.api('POST', '/api/v1/persons', { token, body: { forenames: 'Ann', surname: 'Lowe', date_of_birth: '1950-02-03' } });
  await bl.api('POST', '/api/v1/links', { token, body: { from: person.id, role: 'victim_of', to: crime.id } });
  const href = `/crimes/${crime.id}`;
  const { context, page } = await signedInPage(users.supervisor, href);
  await screenshotOnFailure(page, 'investigation', async () => {
    assert.equal(await text(page, 'main h1'), 'CR/E2E/1');
    assert.match(await text(page, 'main'), /Recorded, not yet allocated/);
    await check(page, 'crime page', t);

    await goto(page, `${href}/allocation`);
    assert.equal(await text(page, 'main h1'), 'Allocate the investigation');
    await check(page, 'allocation form', t);
    await clickAndWait(page, 'main form button[type="submit"]');
    const s = await assertErrorSummaryFirst(page, { focused: true });
    assert.ok(s.links.includes('#team_id'), `the summary links to the team: ${s.links.join(' ')}`);
    await check(page, 'allocation form with errors', t);
    const team = await page.$eval('#team_id', (sel, name) => [...sel.options].find((o) => o.text === name)?.value, TEAM);
    await page.select('#team_id', team);
    await page.click('input[name="risk"][value="high"]');
    await fill(page, '#rationale', 'Elderly victim, burglary at night');
    await clickAndWait(page, 'main form button[type="submit"]');
    assert.equal(new URL(page.url()).pathname, href);
    assert.match(await text(page, 'main'), /The investigation was allocated/);

    await goto(page, `${href}/victims`);
    await check(page, 'victim form', t);
    await page.select('#person_id', person.id);
    await page.click('input[name="assessment-referral"][value="referred"]');
    await page.click('input[name="assessment-contact_method"][value="phone"]');
    await clickAndWait(page, 'main form button[type="submit"]');
    await goto(page, await page.$eval('main a[href^="/victims/"]', (a) => a.getAttribute('href')));
    assert.match(await text(page, 'main h1'), /Ann/);
    await check(page, 'victim contact log', t);

    await goto(page, '/duties?state=unmet');
    assert.equal(await text(page, 'main h1'), 'My duties');
    await check(page, 'my duties', t);
    await goto(page, '/team');
    await check(page, 'team view', t);
    await goto(page, '/investigations');
    await check(page, 'my investigations', t);
    await goto(page, '/reviews/investigation');
    assert.match(await text(page, 'main'), /crimes? recorded \(fraud excluded\)/);
    await check(page, 'investigation measures', t);
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();
});

test('without JavaScript: sign-in and search work', { timeout: TIMEOUT }, async (t) => {
  const { context, page } = await newPage({ js: false });
  await screenshotOnFailure(page, 'no-js', async () => {
    await goto(page, '/persons?name=william+smith');
    await scriptsOn(page);
    assert.equal(pathOf(page), `/sign-in?next=${encodeURIComponent('/persons?name=william+smith')}`);
    await assertRanNoScript(page);
    await check(page, 'sign-in without JavaScript', t);

    const button = 'form[action="/sign-in"] button[type="submit"]';
    await fill(page, '#username', users.investigator.username);
    await fill(page, '#password', 'wrong');
    await submitWithoutScripts(page, button);
    await assertRanNoScript(page);
    await assertErrorSummaryFirst(page, { focused: false });
    await check(page, 'sign-in with errors without JavaScript', t);

    await fill(page, '#password', users.investigator.password);
    await submitWithoutScripts(page, button);
    assert.equal(pathOf(page), '/persons?name=william+smith', 'signed in, back on the page asked for');
    await assertRanNoScript(page);
    assert.match(await text(page, 'main h2'), /^\d+ (person matches|people match)$/);

    await fill(page, '#name', 'smith william');
    await fill(page, '#dob', '1971-09-03'); // day and month swapped
    await submitWithoutScripts(page, 'form[action="/persons"] button[type="submit"]');
    await assertRanNoScript(page);
    assert.match(pathOf(page), /^\/persons\?name=smith\+william&dob=1971-09-03/);
    const row = await page.$eval('main table tbody tr', (tr) => ({
      href: tr.querySelector('th a').getAttribute('href'),
      score: tr.querySelector('.bl-score').textContent.replace(/\s+/g, ' ').trim(),
    }));
    assert.equal(row.href, `/persons/${seeded.open}`);
    assert.match(row.score, /^\d{1,3} out of 100$/);
    await check(page, 'search results without JavaScript', t);
    assert.deepEqual(page.scriptErrors, []);
  });
  await context.close();
});

test('axe-core is live: it reports a field planted without a label', { timeout: TIMEOUT }, async () => {
  const { context, page } = await newPage();
  await goto(page, '/sign-in');
  await page.evaluate(() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text" id="planted">'));
  const r = await axe(page);
  const label = r.violations.find((v) => v.id === 'label');
  assert.ok(label, `axe-core reported: ${r.violations.map((v) => v.id).join(', ') || 'nothing'}`);
  assert.ok(label.nodes.some((n) => n.target.join(' ') === '#planted'), 'the planted field is named');
  await context.close();
});

test('print: the stylesheet hides the navigation', { timeout: TIMEOUT }, async () => {
  const { context, page } = await signedInPage(users.investigator, '/persons');
  await screenshotOnFailure(page, 'print', async () => {
    const display = (sel) => page.$eval(sel, (e) => getComputedStyle(e).display);
    assert.notEqual(await display('.govuk-service-navigation'), 'none', 'on screen the navigation shows');
    await page.emulateMediaType('print');
    assert.equal(await display('.govuk-service-navigation'), 'none');
    assert.equal(await display('.govuk-skip-link'), 'none');
    assert.notEqual(await display('.bl-restricted'), 'none', 'the protective marking prints');
    await page.emulateMediaType(null);
  });
  await context.close();
});

test(`axe-core ${axeVersion} finds no violations of ${AXE_TAGS.join(', ')} on any page`, (t) => {
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(
    path.join(artifacts, 'axe-results.json'),
    JSON.stringify(checked.map(({ label, url, title, violations, incomplete, reflow: r }) => ({ label, url, title, violations, incomplete, reflow: r })), null, 2),
  );
  for (const c of checked) {
    t.diagnostic(`${c.label}: ${c.violations.length} violation(s), ${c.incomplete.length} needing review${c.incomplete.length ? ` (${c.incomplete.map((i) => i.id).join(', ')})` : ''}`);
  }
  const missing = REQUIRED_PAGES.filter((p) => !checked.some((c) => c.label === p));
  const failing = checked.filter((c) => c.violations.length > 0);
  const report = failing.map((c) => `  ${c.label} (${c.url}):\n${describeViolations(c.violations)}`).join('\n');
  assert.ok(
    failing.length === 0,
    `axe-core found ${failing.reduce((n, c) => n + c.violations.length, 0)} violation(s) on ${failing.length} page(s):\n${report}`,
  );
  assert.deepEqual(missing, [], 'every page was checked (an earlier test failed before reaching these)');
});

test('reflow (WCAG 1.4.10): no page scrolls sideways at 1280 px, nor outside tables at 320 px', () => {
  const failing = checked.filter((c) => c.reflow.length > 0);
  assert.ok(
    failing.length === 0,
    `content sticks out sideways on ${failing.length} page(s):\n${failing.map((c) => `  ${c.label} (${c.url}):\n${c.reflow.map((p) => `    ${p}`).join('\n')}`).join('\n')}`,
  );
  assert.ok(checked.length >= REQUIRED_PAGES.length);
});
