// `npm run loadtest`: the App under load and faults, all on this machine (not part of npm test).
//
//   npm run loadtest                 a local Redis, 2 web and 2 worker processes, a fake GitHub API
//                                    with 50 ms per call; 50 pull requests × 4 pushes (with
//                                    redeliveries) over about a minute; one worker SIGKILLed mid-run
//   npm run loadtest -- --review     one process as `npm start` runs it: 20-file pull requests
//                                    reviewed one after another, time from webhook to completed
//                                    check run and the GitHub API calls of each review
//
// Options: --latency MS (default 50), --prs N (50), --pushes N (4), --seconds N (60), --samples N (15).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeCall, FakeFile } from './fake-github.js';
import { FakeGitHub, deliverWebhook, pullRequestPayload } from './fake-github.js';
import type { LocalRedis } from './redis-server.js';
import { startRedis } from './redis-server.js';
import type { ServerProcess } from './server-process.js';
import { appKeys, startServerProcess } from './server-process.js';

const SECRET = 'loadtest-secret';
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const LATENCY = option('latency', 50);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fixtures = fileURLToPath(new URL(`../${import.meta.url.endsWith('.ts') ? '' : '../'}fixtures/`, import.meta.url));
const modelFiles = ['keras/idiomatic', 'pytorch/idiomatic', 'keras/spellings']
  .flatMap((folder) => readdirSync(`${fixtures}${folder}`).filter((name) => name.endsWith('.py')).map((name) => `${fixtures}${folder}/${name}`))
  .map((path) => readFileSync(path, 'utf8'));
const seedD = readFileSync(`${fixtures}seed/seed_d.py`, 'utf8');

/** A model with one mistake only this push makes, so every push has a new finding to post. */
function pushFile(pull: number, push: number): FakeFile {
  const content = ['from keras.models import Sequential', 'from keras.layers import Dense, Dropout', '', `model_${pull}_${push} = Sequential()`, `model_${pull}_${push}.add(Dense(${16 + push}, activation='relu', input_shape=(8,)))`, `model_${pull}_${push}.add(Dropout(rate=1))`, `model_${pull}_${push}.add(Dense(1, activation='sigmoid'))`, ''].join('\n');
  return { filename: `models/push_${push}.py`, content };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A commit id that shows the pull request and push in its first 7 characters: `p017k2f…` */
function sha(...parts: number[]): string {
  return parts.map((part) => part.toString(16).padStart(4, '0')).join('').padEnd(40, 'f').slice(0, 40);
}

async function loadAndFaults(): Promise<number> {
  const PRS = option('prs', 50);
  const PUSHES = option('pushes', 4);
  const SPAN = option('seconds', 60) * 1000;
  const keys = appKeys();
  const github = new FakeGitHub({ appPublicKey: keys.publicKey, latencyMs: LATENCY });
  let redis: LocalRedis | undefined;
  const servers: ServerProcess[] = [];
  try {
    redis = await startRedis();
    await github.start();
    const env = (role: string) => ({ FOOTGUN_ROLE: role, REDIS_URL: redis!.url, FOOTGUN_JOB_LOCK_SECONDS: '10', FOOTGUN_CONCURRENCY: '16', LOG_LEVEL: 'info' });
    console.log(`starting Redis (${redis.url}), 2 web and 2 worker processes, a fake GitHub API with ${LATENCY} ms per call…`);
    const webs = await Promise.all([0, 1].map(() => startServerProcess({ keys, githubApi: github.url, secret: SECRET, env: env('web') })));
    const workers = await Promise.all([0, 1].map(() => startServerProcess({ keys, githubApi: github.url, secret: SECRET, env: env('worker') })));
    servers.push(...webs, ...workers);

    // two pull requests per installation (GitHub's one-write-a-second pacing is per installation)
    const pulls = Array.from({ length: PRS }, (_, i) => ({ owner: `org${Math.floor(i / 2)}`, repo: `models${i % 2}`, number: 100 + i, installationId: 1000 + Math.floor(i / 2) }));
    const pushes = pulls.flatMap((pull, p) => {
      const times = Array.from({ length: PUSHES }, () => Math.random() * (SPAN - 5000)).sort((a, b) => a - b);
      return times.map((at, k) => ({ pull, p, k, at, sha: sha(p + 1, k + 1) }));
    });
    const firstDelivery = new Map<string, number>();
    const pushedAt = new Map<string, number>();
    const answers = new Map<number, number>();
    let deliveries = 0;
    let redeliveries = 0;
    const send = async (web: ServerProcess, id: string, payload: Record<string, unknown>) => {
      deliveries++;
      const status = await deliverWebhook(`${web.url}/api/github/webhooks`, SECRET, 'pull_request', id, payload).then(
        (response) => response.status,
        () => 0,
      );
      answers.set(status, (answers.get(status) ?? 0) + 1);
    };
    const start = Date.now();
    let killedAt = 0;
    const killer = (async () => {
      await sleep(SPAN / 2);
      killedAt = Date.now() - start;
      console.log(`t=${seconds(killedAt)}: SIGKILL worker ${workers[0]!.child.pid}`);
      await workers[0]!.stop('SIGKILL');
    })();
    console.log(`sending ${pushes.length} pushes of ${PRS} pull requests over ${SPAN / 1000} s, with redeliveries…`);
    const sending: Promise<void>[] = [];
    for (const push of [...pushes].sort((a, b) => a.at - b.at)) {
      const wait = start + push.at - Date.now();
      if (wait > 0) await sleep(wait);
      pushedAt.set(push.sha, Date.now());
      github.push({ ...push.pull, headSha: push.sha, files: [{ filename: 'models/net.py', content: seedD }, pushFile(push.p, push.k), ...modelFiles.slice(push.p % 5, (push.p % 5) + 2).map((content, i) => ({ filename: `models/extra_${i}.py`, content }))] });
      const payload = pullRequestPayload(push.k === 0 ? 'opened' : 'synchronize', { ...push.pull, headSha: push.sha, updatedAt: new Date() });
      const id = `delivery-${push.p}-${push.k}`;
      firstDelivery.set(push.sha, Date.now());
      sending.push(send(webs[push.k % 2]!, id, payload));
      if (Math.random() < 0.25) {
        redeliveries++;
        sending.push(sleep(500 + Math.random() * 2500).then(() => send(webs[(push.k + 1) % 2]!, id, payload)));
      }
    }
    await Promise.all(sending);
    await killer;
    const finalHeads = new Map(pulls.map((pull, p) => [`${pull.owner}/${pull.repo}#${pull.number}`, sha(p + 1, PUSHES)]));
    const done = () => [...finalHeads.values()].every((head) => [...github.checkRuns.values()].some((run) => run.headSha === head && run.status === 'completed'));
    const deadline = Date.now() + 180_000;
    while (!done() && Date.now() < deadline) await sleep(250);
    await sleep(2000);
    const elapsed = Date.now() - start;

    // figures
    const runs = [...github.checkRuns.values()];
    const reviewed = runs.filter((run) => run.status === 'completed' && run.output?.title !== 'Superseded by a newer commit');
    const latencies = reviewed.map((run) => run.completedAt! - firstDelivery.get(run.headSha)!).filter(Number.isFinite);
    const finalLatencies = reviewed.filter((run) => [...finalHeads.values()].includes(run.headSha)).map((run) => run.completedAt! - firstDelivery.get(run.headSha)!);
    let exactlyOne = 0;
    let superseded = 0;
    let whileHead = 0;
    let duplicates = 0;
    let lost = 0;
    // a commit is superseded from the moment the next push of its pull request is made
    const supersededAt = new Map<string, number>();
    for (const push of pushes) if (push.k > 0) supersededAt.set(sha(push.p + 1, push.k), pushedAt.get(push.sha)!);
    for (const [key, head] of finalHeads) {
      const reviews = github.reviewsByCommit(key);
      if (reviews.get(head) === 1) exactlyOne++;
      if (!runs.some((run) => run.headSha === head && run.status === 'completed')) lost++;
      for (const count of reviews.values()) if (count > 1) duplicates += count - 1;
      for (const review of github.pulls.get(key)!.reviews) {
        const replaced = supersededAt.get(review.commit_id as string);
        if (replaced === undefined) continue;
        if (Date.parse(review.submitted_at as string) >= replaced) superseded++;
        else whileHead++;
      }
    }
    const stuck = runs.filter((run) => run.status !== 'completed').length;
    const writes = github.writes();
    const byRoute = countBy(writes);
    const takenOver = servers.map((server) => server.output().match(/from an earlier attempt/g)?.length ?? 0).reduce((a, b) => a + b, 0);
    const droppedBeforeStart = servers.map((server) => server.output().match(/dropped before review/g)?.length ?? 0).reduce((a, b) => a + b, 0);
    const droppedBeforePosting = servers.map((server) => server.output().match(/dropped before posting/g)?.length ?? 0).reduce((a, b) => a + b, 0);

    console.log('');
    console.log(`pull requests × pushes                 ${PRS} × ${PUSHES} = ${pushes.length} pushes in ${seconds(SPAN)} (${PRS / 2} installations)`);
    console.log(`deliveries sent (with redeliveries)    ${deliveries} (${redeliveries} redeliveries)`);
    console.log(`deliveries accepted                    ${answers.get(200) ?? 0} answered 200; others: ${JSON.stringify(Object.fromEntries([...answers].filter(([status]) => status !== 200)))}`);
    console.log(`worker SIGKILLed at                    t=${seconds(killedAt)}; its jobs taken over by the other: ${takenOver}`);
    console.log(`commits reviewed                       ${reviewed.length} of ${pushes.length} (superseded dropped before review: ${droppedBeforeStart}, before posting: ${droppedBeforePosting})`);
    console.log(`webhook → completed check run          p50 ${seconds(percentile(latencies, 50))}, p95 ${seconds(percentile(latencies, 95))} (all reviewed commits)`);
    console.log(`                                       p50 ${seconds(percentile(finalLatencies, 50))}, p95 ${seconds(percentile(finalLatencies, 95))} (final heads)`);
    console.log(`reviews posted per final head SHA      exactly 1 for ${exactlyOne} of ${finalHeads.size}`);
    console.log(`reviews posted for superseded SHAs     ${superseded} (posted after the next push was made; ${whileHead} more reviewed earlier pushes while they were the head)`);
    console.log(`duplicate reviews                      ${duplicates}`);
    console.log(`jobs lost                              ${lost} (final heads without a completed check run); check runs left in progress: ${stuck}`);
    console.log(`GitHub write calls per push            ${(writes.length / pushes.length).toFixed(2)} (${writes.length} writes: ${Object.entries(byRoute).map(([route, count]) => `${count} ${route}`).join(', ')})`);
    console.log(`GitHub calls per push (all)            ${(github.calls.length / pushes.length).toFixed(2)}`);
    console.log(`until the last final head was done     ${seconds(elapsed)}`);

    const logFolder = mkdtempSync(join(tmpdir(), 'footgun-loadtest-'));
    servers.forEach((server, i) => writeFileSync(join(logFolder, `${i < 2 ? 'web' : 'worker'}-${i % 2}.log`), server.output()));
    writeFileSync(join(logFolder, 'github-calls.json'), JSON.stringify(github.calls.map((call) => ({ ...call, at: call.at - start }))));
    console.log(`the processes' logs                    ${logFolder}`);
    const stopped = await Promise.all(servers.filter((server) => server !== workers[0]).map((server) => server.stop('SIGTERM')));
    console.log(`SIGTERM to the other 3 processes       exit codes ${stopped.join(', ')}`);
    const ok = exactlyOne === finalHeads.size && duplicates === 0 && lost === 0 && stuck === 0 && stopped.every((code) => code === 0);
    console.log(ok ? '\nall invariants hold' : '\nINVARIANT BROKEN (see above)');
    return ok ? 0 : 1;
  } finally {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await github.stop();
    await redis?.dispose();
  }
}

function countBy(calls: FakeCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.route] = (counts[call.route] ?? 0) + 1;
  return counts;
}

async function reviewLatency(): Promise<number> {
  const SAMPLES = option('samples', 15);
  const keys = appKeys();
  const github = new FakeGitHub({ appPublicKey: keys.publicKey, latencyMs: LATENCY });
  await github.start();
  // --redis: the same with the queue and Probot's throttling on a local Redis
  const redis = args.includes('--redis') ? await startRedis() : undefined;
  const server = await startServerProcess({ keys, githubApi: github.url, secret: SECRET, env: { LOG_LEVEL: 'warn', FOOTGUN_ANALYSIS_PROCESSES: '2', ...(redis ? { REDIS_URL: redis.url } : {}) } });
  try {
    const files = Array.from({ length: 20 }, (_, i) => ({ filename: `models/m${String(i).padStart(2, '0')}.py`, content: i === 0 ? seedD : modelFiles[i % modelFiles.length]! }));
    const bytes = files.reduce((sum, file) => sum + file.content.length, 0);
    console.log(`one process (npm start, ${redis ? 'REDIS_URL set' : 'no Redis'}), fake GitHub API with ${LATENCY} ms per call; ${SAMPLES} pull requests of 20 Python files (${(bytes / 1024).toFixed(0)} KB), one after another`);
    const latencies: number[] = [];
    const callsPerReview: number[] = [];
    const writesPerReview: number[] = [];
    let routes: Record<string, number> = {};
    for (let i = 0; i < SAMPLES; i++) {
      const pull = { owner: 'octo-org', repo: 'models', number: 500 + i, installationId: 3000 + i };
      const head = sha(500 + i);
      github.push({ ...pull, headSha: head, files });
      const before = github.calls.length;
      const sent = Date.now();
      const response = await deliverWebhook(`${server.url}/api/github/webhooks`, SECRET, 'pull_request', `latency-${i}`, pullRequestPayload('opened', { ...pull, headSha: head }));
      if (response.status !== 200) throw new Error(`delivery answered ${response.status}`);
      while (![...github.checkRuns.values()].some((run) => run.headSha === head && run.status === 'completed')) await sleep(5);
      const run = [...github.checkRuns.values()].find((candidate) => candidate.headSha === head)!;
      latencies.push(run.completedAt! - sent);
      await sleep(300);
      const calls = github.calls.slice(before);
      callsPerReview.push(calls.length);
      writesPerReview.push(calls.filter((call) => call.method !== 'GET' && !call.route.endsWith('/access_tokens')).length);
      if (i === 0) routes = countBy(calls);
      if (github.reviewsByCommit(`octo-org/models#${500 + i}`).get(head) !== 1) throw new Error('no review was posted');
    }
    console.log(`webhook → completed check run     p50 ${seconds(percentile(latencies, 50))}, p95 ${seconds(percentile(latencies, 95))}, min ${seconds(Math.min(...latencies))}`);
    console.log(`GitHub API calls per review       ${percentile(callsPerReview, 50)} (${percentile(writesPerReview, 50)} writes): ${Object.entries(routes).map(([route, count]) => `${count} ${route}`).join(', ')}`);
    return 0;
  } finally {
    await server.stop('SIGTERM');
    await github.stop();
    await redis?.dispose();
  }
}

const exitCode = await (args.includes('--review') ? reviewLatency() : loadAndFaults());
process.exit(exitCode);
