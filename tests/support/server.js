// Starts the real connector-mock binary for one test file (shared by the Node suites in
// tests/sdk, tests/scenarios and tests/browser): a free port, a fresh data
// directory in a temp folder (removed at the end), and the settings the file asks for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary under test: MOCK_BINARY, else the debug build of this repository. */
export const binary = path.resolve(process.env.MOCK_BINARY ?? path.join(here, '../../target/debug/connector-mock'));

const STARTUP_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const FIRST_LINE = /^connector-mock listening on (http:\/\/\S+:\d+)$/;

/**
 * Starts the binary with `args` added to `--listen 127.0.0.1:0 --data <temp>` (`args` may name
 * another `--listen`), in an empty
 * working directory (so no stray `config.toml` is read). Resolves to `{ baseUrl, stop }` once
 * the server printed its address; `stop()` ends it and removes its files.
 */
export async function startServer(args = []) {
  assert.ok(existsSync(binary), `connector-mock not found at ${binary}: run \`cargo build\` or set MOCK_BINARY`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'connector-mock-scenarios-'));
  const listen = args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0'];
  const child = spawn(binary, [...listen, '--data', path.join(workDir, 'data'), ...args], {
    cwd: workDir,
    env: withoutMockSettings(process.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Safety net: never leave the server behind, even if the runner dies before `after`.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    rmSync(workDir, { recursive: true, force: true });
  };

  try {
    const baseUrl = await new Promise((resolve, reject) => {
      const fail = (why) => {
        clearTimeout(timer);
        reject(new Error(`${why}\nstderr:\n${stderr}`));
      };
      const timer = setTimeout(() => fail(`no first line within ${STARTUP_TIMEOUT_MS} ms`), STARTUP_TIMEOUT_MS);
      child.once('error', (error) => fail(`could not start ${binary}: ${error.message}`));
      child.once('exit', (code, signal) => fail(`server exited early (code ${code}, signal ${signal})`));
      createInterface({ input: child.stdout }).once('line', (line) => {
        clearTimeout(timer);
        const match = FIRST_LINE.exec(line);
        if (match) resolve(match[1]);
        else reject(new Error(`unexpected first stdout line: ${JSON.stringify(line)}`));
        child.stdout.resume(); // keep draining stdout so the server never blocks on a full pipe
      });
    });
    return { baseUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The caller's environment without CONNECTOR_MOCK_* settings, which would change the server. */
function withoutMockSettings(env) {
  const clean = { RUST_LOG: 'warn' };
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('CONNECTOR_MOCK_') && key !== 'RUST_LOG') clean[key] = value;
  }
  return clean;
}
