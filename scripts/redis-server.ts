// A real Redis for the tests and the load test: Debian's `redis-server` on a free loopback port,
// its files in a temporary folder, stopped (and the folder removed) afterwards. It persists as a
// deployment must (append-only file): a restart keeps the queue's jobs and Probot's rate-limit state.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRedis {
  url: string;
  port: number;
  /** stops the server (an outage: it shuts down as Redis does on SIGTERM); `start` brings it back on the same port with its data */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stops it for good and removes its folder */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(): Promise<LocalRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'footgun-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--protected-mode', 'no'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const failed = new Promise<never>((_, reject) => {
      child!.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error('redis-server is not installed (Debian: apt-get install -y redis-server)') : error));
      child!.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    });
    await Promise.race([waitForPort(port), failed]);
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => stop(),
    start,
    dispose: async () => {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on port ${port}`);
}
