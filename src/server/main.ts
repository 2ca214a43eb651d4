// `npm start`: footgun's GitHub App server. Stops cleanly on SIGTERM/SIGINT (see README: "Running the GitHub App").
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { run } from 'probot';
import { SettingsError, readSettings } from './settings.js';
import { startFootgun } from './start.js';

/** `.env` (where Probot's setup writes the App's credentials) fills what the environment does not set. */
function loadDotEnv(): void {
  let text: string;
  try {
    text = readFileSync('.env', 'utf8');
  } catch {
    return;
  }
  for (const [name, value] of Object.entries(parseEnv(text))) process.env[name] ??= value;
}

function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.APP_ID) && Boolean(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
}

/** The first signal drains; a second one stops at once. */
function onSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`${signal} again: stopping now`);
        process.exit(130);
      }
      stopping = true;
      stop(signal).then(
        () => process.exit(0),
        (error: Error) => {
          console.error(`footgun could not stop cleanly: ${error.message}`);
          process.exit(1);
        },
      );
    });
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  if (!hasCredentials(process.env)) {
    // Probot's setup: a page that registers the App from app.yml and writes its credentials to .env.
    // It listens on localhost unless HOST says otherwise.
    const server = await run(() => {}, { env: { ...process.env, HOST: process.env.HOST ?? 'localhost' } });
    onSignals(async () => server.stop());
    return;
  }
  const settings = readSettings(process.env);
  const footgun = await startFootgun(settings);
  onSignals(async (signal) => {
    footgun.log.info(`${signal}: no new webhooks or jobs; finishing the reviews in progress (up to ${Math.round(settings.drainMs / 1000)} s)`);
    await footgun.stop();
    footgun.log.info('stopped');
  });
}

main().catch((error: Error) => {
  console.error(error instanceof SettingsError ? `footgun: ${error.message}` : error);
  process.exit(error instanceof SettingsError ? 2 : 1);
});
