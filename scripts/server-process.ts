// footgun's server as `npm start` runs it (`node dist/src/server/main.js`), in a child process
// with its own environment: for the end-to-end tests and the load test.
import { generateKeyPairSync } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-server.js';

export const MAIN = fileURLToPath(new URL(`../${import.meta.url.endsWith('.ts') ? 'dist/' : ''}src/server/main.js`, import.meta.url));

export interface AppKeys {
  privateKey: string;
  publicKey: string;
}

export function appKeys(): AppKeys {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** everything it logged so far */
  output(): string;
  /** sends the signal and resolves with the exit code (or signal) */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the server with the App's credentials, pointed at a (fake) GitHub API, and waits until it
 * answers `/healthz`. `env` adds or overrides variables (FOOTGUN_ROLE, REDIS_URL, …).
 */
export async function startServerProcess(options: { keys: AppKeys; githubApi: string; secret: string; env?: Record<string, string> }): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      // another process took the free port between the probe and the listen
      if (attempt < 5 && /already in use/.test((error as Error).message)) continue;
      throw error;
    }
  }
}

async function startOnce(options: { keys: AppKeys; githubApi: string; secret: string; env?: Record<string, string> }, port: number): Promise<ServerProcess> {
  const api = new URL(options.githubApi);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      APP_ID: '123',
      PRIVATE_KEY: options.keys.privateKey,
      WEBHOOK_SECRET: options.secret,
      GHE_HOST: api.host,
      GHE_PROTOCOL: api.protocol.replace(':', ''),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      FOOTGUN_ANALYSIS_PROCESSES: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited at start:\n${output}`);
    const answered = await fetch(`${url}/healthz`).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (i > 300) throw new Error(`the server did not answer on ${url}:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
