// A throwaway Bluelamp for the end-to-end tests: a fresh SQLite database in a temporary
// directory, users added with the `bluelamp` binary, the server on a free loopback port,
// and a small JSON API client to seed records.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `bluelamp` binary: BLUELAMP_BIN, or target/debug/bluelamp in the repository. */
export function bluelampBin() {
  const bin = process.env.BLUELAMP_BIN
    ? path.resolve(process.env.BLUELAMP_BIN)
    : path.join(repo, 'target', 'debug', 'bluelamp');
  if (!existsSync(bin)) {
    throw new Error(`no bluelamp binary at ${bin}: build it (cargo build -p bluelamp-cli) or set BLUELAMP_BIN`);
  }
  return bin;
}

export class Bluelamp {
  constructor() {
    this.bin = bluelampBin();
    this.dir = mkdtempSync(path.join(tmpdir(), 'bluelamp-e2e-'));
    this.databaseUrl = `sqlite://${path.join(this.dir, 'e2e.db')}`;
    this.server = null;
    this.base = null;
    this.log = [];
  }

  /** Runs the binary to completion; throws with its output when it fails. */
  run(args, input) {
    const r = spawnSync(this.bin, args, {
      input,
      encoding: 'utf8',
      env: { ...process.env, BLUELAMP_DATABASE_URL: this.databaseUrl, BLUELAMP_LOG: 'warn', NO_COLOR: '1' },
      timeout: 60_000,
    });
    if (r.status !== 0) {
      throw new Error(`bluelamp ${args.join(' ')} exited ${r.status}: ${r.stdout}${r.stderr}${r.error ?? ''}`);
    }
    return r.stdout;
  }

  migrate(forceName, forceCode) {
    return this.run(['migrate', '--force-name', forceName, '--force-code', forceCode]);
  }

  /** `bluelamp user add`, the password on standard input. */
  addUser({ username, password, roles, teams = [], displayName }) {
    const args = ['user', 'add', '--username', username, '--password-stdin'];
    for (const r of roles) args.push('--role', r);
    for (const t of teams) args.push('--team', t);
    if (displayName) args.push('--display-name', displayName);
    return this.run(args, `${password}\n`);
  }

  /** Starts `bluelamp serve` on a free port and waits for its "... at http://ADDR" line. */
  async serve() {
    const child = spawn(this.bin, ['serve', '--bind', '127.0.0.1:0'], {
      env: { ...process.env, BLUELAMP_DATABASE_URL: this.databaseUrl, BLUELAMP_LOG: 'warn', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.server = child;
    // Never leave a server behind, even when the test process ends abruptly.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => this.log.push(d));
    child.stdout.setEncoding('utf8');
    this.base = await new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`bluelamp serve named no address in 30 s: ${seen}${this.log.join('')}`)), 30_000);
      child.stdout.on('data', (d) => {
        seen += d;
        const m = seen.match(/ at (http:\/\/[^\s]+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/\/$/, ''));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`bluelamp serve exited ${code} before serving: ${seen}${this.log.join('')}`));
      });
    });
    return this.base;
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes the directory. */
  async stop() {
    const child = this.server;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A JSON API call; throws unless the status is one of `ok`. */
  async api(method, pathname, { token, body, ok = [200, 201] } = {}) {
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + pathname, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!ok.includes(res.status)) {
      throw new Error(`${method} ${pathname} answered ${res.status}: ${text}`);
    }
    return text ? JSON.parse(text) : null;
  }

  /** POST /api/v1/tokens: a bearer token for the user. */
  async token(username, password) {
    const r = await this.api('POST', '/api/v1/tokens', { body: { username, password } });
    return r.token;
  }
}
