// A fake GitHub REST API on loopback for the load test, the latency bench and the Action's tests:
// a real HTTP server that implements only the endpoints a footgun review uses, keeps the state
// they change (check runs, reviews, review comments), answers after a configurable latency, and
// counts every call. Installation tokens are minted for a JWT signed with the App's key (checked
// against its public key); tokens can be read-only, as a fork's GITHUB_TOKEN is (403 on writes).
import { createHash, createHmac, createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

export interface FakeFile {
  filename: string;
  content: string;
  status?: 'added' | 'modified' | 'removed';
  /** defaults to a patch that adds every line */
  patch?: string;
}

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  installationId: number;
  headSha: string;
  /** the files the pull request changes, per head commit */
  commits: Map<string, FakeFile[]>;
  reviews: Record<string, unknown>[];
  comments: Record<string, unknown>[];
}

export interface FakeCheckRun {
  id: number;
  repository: string;
  headSha: string;
  name: string;
  status: string;
  conclusion?: string;
  output?: { title?: string; summary?: string; annotations?: unknown[] };
  annotations: unknown[];
  createdAt: number;
  completedAt?: number;
}

export interface FakeCall {
  method: string;
  /** the route, with placeholders: `GET /repos/{owner}/{repo}/pulls/{number}` */
  route: string;
  status: number;
  at: number;
  /** `owner/repo#number` when the call is about one pull request */
  pull?: string;
}

export interface FakeGitHubOptions {
  latencyMs?: number;
  /** the App's public key (PEM): installation tokens are minted only for JWTs it verifies */
  appPublicKey?: string;
}

const require = createRequire(import.meta.url);

export class FakeGitHub {
  readonly calls: FakeCall[] = [];
  readonly checkRuns = new Map<number, FakeCheckRun>();
  readonly pulls = new Map<string, FakePullRequest>();
  /** repository (`owner/repo`) → `.github/footgun.yml` */
  readonly configs = new Map<string, string>();
  private readonly tokens = new Map<string, { readOnly: boolean; remaining: number }>();
  private readonly readOnlyInstallations = new Set<number>();
  private readonly server = createServer((request, response) => void this.handle(request, response));
  private nextId = 1000;
  latencyMs: number;
  private readonly appPublicKey?: string;

  constructor(options: FakeGitHubOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.appPublicKey = options.appPublicKey;
  }

  /** Listens on a free loopback port; resolves to the API's base URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A token as a workflow's GITHUB_TOKEN is: read-only for a fork's pull request. */
  addToken(token: string, readOnly = false): void {
    this.tokens.set(token, { readOnly, remaining: 5000 });
  }

  /** Tokens minted for this installation can only read. */
  restrictInstallation(installationId: number): void {
    this.readOnlyInstallations.add(installationId);
  }

  /** Opens a pull request, or pushes a new head commit to it. */
  push(pull: { owner: string; repo: string; number: number; installationId: number; headSha: string; files: FakeFile[] }): FakePullRequest {
    const key = `${pull.owner}/${pull.repo}#${pull.number}`;
    const existing = this.pulls.get(key) ?? { ...pull, commits: new Map(), reviews: [], comments: [] };
    existing.headSha = pull.headSha;
    existing.commits.set(pull.headSha, pull.files);
    this.pulls.set(key, existing);
    return existing;
  }

  /** Reviews posted on a pull request, by the commit they review. */
  reviewsByCommit(key: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const review of this.pulls.get(key)?.reviews ?? []) counts.set(review.commit_id as string, (counts.get(review.commit_id as string) ?? 0) + 1);
    return counts;
  }

  writes(): FakeCall[] {
    return this.calls.filter((call) => call.method !== 'GET' && !call.route.endsWith('/access_tokens'));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const method = request.method ?? 'GET';
    const reply = (status: number, data: unknown, route: string, pull?: string, headers: Record<string, string> = {}) => {
      this.calls.push({ method, route: `${method} ${route}`, status, at: Date.now(), pull });
      const text = typeof data === 'string' ? data : JSON.stringify(data);
      const token = this.tokens.get(bearer(request) ?? '');
      if (token) token.remaining--;
      response.writeHead(status, {
        'content-type': typeof data === 'string' ? 'application/vnd.github.raw; charset=utf-8' : 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(token?.remaining ?? 5000),
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
        ...headers,
      });
      response.end(status === 204 ? undefined : text);
    };
    try {
      const tokenMatch = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
      if (method === 'POST' && tokenMatch) {
        if (!this.verifiesAsApp(bearer(request))) return reply(401, { message: 'A JSON web token could not be decoded' }, '/app/installations/{id}/access_tokens');
        const installationId = Number(tokenMatch[1]);
        const token = `ghs_fake_${installationId}_${this.nextId++}`;
        const readOnly = this.readOnlyInstallations.has(installationId);
        this.tokens.set(token, { readOnly, remaining: 5000 });
        return reply(201, { token, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: readOnly ? { contents: 'read', pull_requests: 'read', checks: 'read' } : { contents: 'read', pull_requests: 'write', checks: 'write' }, repository_selection: 'all' }, '/app/installations/{id}/access_tokens');
      }
      const token = this.tokens.get(bearer(request) ?? '');
      if (!token) return reply(401, { message: 'Bad credentials' }, path);
      const write = method !== 'GET' && method !== 'HEAD';
      if (write && token.readOnly) return reply(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }, routeOf(path), pullOf(path));
      const json = body ? JSON.parse(body) : {};
      return this.route(method, path, url.searchParams, json, request, reply);
    } catch (error) {
      return reply(500, { message: (error as Error).message }, path);
    }
  }

  private route(method: string, path: string, query: URLSearchParams, json: Record<string, any>, request: IncomingMessage, reply: (status: number, data: unknown, route: string, pull?: string, headers?: Record<string, string>) => void): void {
    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path)) && method === 'GET') {
      const [, owner, repo, filePath] = m;
      const route = '/repos/{owner}/{repo}/contents/{path}';
      const decoded = decodeURIComponent(filePath!);
      if (decoded === '.github/footgun.yml') {
        const config = this.configs.get(`${owner}/${repo}`);
        return config === undefined ? reply(404, { message: 'Not Found' }, route) : reply(200, config, route);
      }
      const ref = query.get('ref');
      for (const pull of this.pulls.values()) {
        if (pull.owner !== owner || pull.repo !== repo) continue;
        const file = (ref ? pull.commits.get(ref) : pull.commits.get(pull.headSha))?.find((f) => f.filename === decoded && f.status !== 'removed');
        if (file) return reply(200, /raw/.test(request.headers.accept ?? '') ? file.content : { type: 'file', encoding: 'base64', content: Buffer.from(file.content).toString('base64') }, route);
      }
      return reply(404, { message: 'Not Found' }, route);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/git\/trees\/([^/]+)$/.exec(path)) && method === 'GET') {
      // the files of a commit the fake knows (a pull request's head), else an empty tree (its base)
      const [, owner, repo, sha] = m;
      const files = [...this.pulls.values()].filter((pull) => pull.owner === owner && pull.repo === repo).flatMap((pull) => pull.commits.get(sha!) ?? []);
      const tree = files.filter((file) => file.status !== 'removed').map((file) => ({ path: file.filename, mode: '100644', type: 'blob', sha: createHash('sha1').update(`blob ${Buffer.byteLength(file.content)}\0${file.content}`).digest('hex'), size: Buffer.byteLength(file.content) }));
      return reply(200, { sha, truncated: false, tree }, '/repos/{owner}/{repo}/git/trees/{sha}');
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)(\/files|\/comments|\/reviews)?$/.exec(path))) {
      const [, owner, repo, number, tail] = m;
      const key = `${owner}/${repo}#${number}`;
      const pull = this.pulls.get(key);
      const route = `/repos/{owner}/{repo}/pulls/{number}${tail ?? ''}`;
      if (!pull) return reply(404, { message: 'Not Found' }, route, key);
      if (!tail && method === 'GET') return reply(200, pullRequestJson(pull), route, key);
      if (tail === '/files' && method === 'GET') {
        const files = (pull.commits.get(pull.headSha) ?? []).map((file) => ({ filename: file.filename, status: file.status ?? 'added', patch: file.patch ?? addedPatch(file.content) }));
        return paginate(files, query, path, reply, route, key);
      }
      if (tail === '/comments' && method === 'GET') return paginate(pull.comments, query, path, reply, route, key);
      if (tail === '/reviews' && method === 'GET') return paginate(pull.reviews, query, path, reply, route, key);
      if (tail === '/reviews' && method === 'POST') {
        const files = pull.commits.get(json.commit_id) ?? [];
        for (const comment of json.comments ?? []) {
          const file = files.find((f) => f.filename === comment.path);
          if (!file || !diffLines(file.patch ?? addedPatch(file.content)).has(comment.line)) return reply(422, { message: 'Unprocessable Entity', errors: ['Line could not be resolved'] }, route, key);
        }
        const id = this.nextId++;
        const review = { id, body: json.body, commit_id: json.commit_id, state: 'COMMENTED', submitted_at: new Date().toISOString(), user: { login: 'footgun[bot]', type: 'Bot' } };
        pull.reviews.push(review);
        for (const comment of json.comments ?? []) pull.comments.push({ id: this.nextId++, pull_request_review_id: id, path: comment.path, line: comment.line, side: comment.side, body: comment.body, commit_id: json.commit_id, user: { login: 'footgun[bot]', type: 'Bot' } });
        return reply(200, review, route, key);
      }
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/comments\/(\d+)$/.exec(path))) {
      const route = '/repos/{owner}/{repo}/pulls/comments/{id}';
      for (const pull of this.pulls.values()) {
        const index = pull.comments.findIndex((comment) => comment.id === Number(m![3]));
        if (index < 0) continue;
        if (method === 'DELETE') {
          pull.comments.splice(index, 1);
          return reply(204, '', route);
        }
        if (method === 'PATCH') {
          pull.comments[index]!.body = json.body;
          return reply(200, pull.comments[index], route);
        }
      }
      return reply(404, { message: 'Not Found' }, route);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/.exec(path)) && method === 'GET') {
      const [, owner, repo, ref] = m;
      const runs = [...this.checkRuns.values()].filter((run) => run.repository === `${owner}/${repo}` && run.headSha === ref && (!query.get('check_name') || run.name === query.get('check_name')) && (!query.get('status') || run.status === query.get('status')));
      return reply(200, { total_count: runs.length, check_runs: runs.reverse().map((run) => ({ id: run.id, name: run.name, head_sha: run.headSha, status: run.status, conclusion: run.conclusion ?? null })) }, '/repos/{owner}/{repo}/commits/{ref}/check-runs');
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?$/.exec(path))) {
      const [, owner, repo, id] = m;
      const route = `/repos/{owner}/{repo}/check-runs${id ? '/{id}' : ''}`;
      if (!id && method === 'POST') {
        const run: FakeCheckRun = { id: this.nextId++, repository: `${owner}/${repo}`, headSha: json.head_sha, name: json.name, status: json.status ?? 'queued', createdAt: Date.now(), annotations: [...(json.output?.annotations ?? [])] };
        this.updateRun(run, json);
        this.checkRuns.set(run.id, run);
        return reply(201, { id: run.id, head_sha: run.headSha, status: run.status }, route);
      }
      const run = this.checkRuns.get(Number(id));
      if (run && method === 'PATCH') {
        run.annotations.push(...(json.output?.annotations ?? []));
        this.updateRun(run, json);
        return reply(200, { id: run.id, status: run.status, conclusion: run.conclusion ?? null }, route);
      }
      return reply(404, { message: 'Not Found' }, route);
    }
    return reply(404, { message: `Not Found (the fake GitHub API does not implement ${method} ${path})` }, routeOf(path));
  }

  private updateRun(run: FakeCheckRun, json: Record<string, any>): void {
    if (json.status) run.status = json.status;
    if (json.conclusion) run.conclusion = json.conclusion;
    if (json.output) run.output = json.output;
    if (run.status === 'completed' && run.completedAt === undefined) run.completedAt = Date.now();
  }

  private verifiesAsApp(jwt: string | undefined): boolean {
    if (!this.appPublicKey) return jwt !== undefined;
    const [header, payload, signature] = (jwt ?? '').split('.');
    if (!header || !payload || !signature) return false;
    const verify = createVerify('RSA-SHA256');
    verify.update(`${header}.${payload}`);
    return verify.verify(this.appPublicKey, Buffer.from(signature, 'base64url'));
  }
}

function bearer(request: IncomingMessage): string | undefined {
  return /^(?:token|bearer)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function routeOf(path: string): string {
  return path.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}').replace(/\/\d+(?=\/|$)/g, '/{id}');
}

function pullOf(path: string): string | undefined {
  const m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)/.exec(path);
  return m ? `${m[1]}/${m[2]}#${m[3]}` : undefined;
}

function paginate(items: unknown[], query: URLSearchParams, path: string, reply: (status: number, data: unknown, route: string, pull?: string, headers?: Record<string, string>) => void, route: string, pull: string): void {
  const perPage = Number(query.get('per_page') ?? 30);
  const page = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const headers: Record<string, string> = page < last ? { link: `<http://127.0.0.1${path}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
  reply(200, items.slice((page - 1) * perPage, page * perPage), route, pull, headers);
}

function pullRequestJson(pull: FakePullRequest) {
  const repo = { name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, owner: { login: pull.owner, type: 'Organization' } };
  return { number: pull.number, state: 'open', draft: false, head: { sha: pull.headSha, ref: 'feature', repo }, base: { sha: 'b'.repeat(40), ref: 'main', repo } };
}

/** A patch that adds every line of a file (a new file). */
export function addedPatch(content: string): string {
  const lines = content.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');
}

/** The lines of the new file that a patch shows (added or context): where a review comment may go. */
function diffLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(text);
    if (hunk) line = Number(hunk[1]);
    else if (text.startsWith('-')) continue;
    else lines.add(line++);
  }
  return lines;
}

const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];

/** A genuine `pull_request` webhook payload (from @octokit/webhooks-examples), pointed at one pull request and commit. */
export function pullRequestPayload(action: 'opened' | 'synchronize' | 'reopened', pull: { owner: string; repo: string; number: number; installationId: number; headSha: string; updatedAt?: Date }): Record<string, any> {
  const example = examples.find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === action)!;
  const payload = structuredClone(example);
  const repository = { ...payload.repository, name: pull.repo, full_name: `${pull.owner}/${pull.repo}`, owner: { ...payload.repository.owner, login: pull.owner } };
  payload.repository = repository;
  payload.number = pull.number;
  payload.installation = { id: pull.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' };
  payload.pull_request = { ...payload.pull_request, number: pull.number, draft: false, updated_at: (pull.updatedAt ?? new Date()).toISOString(), head: { ...payload.pull_request.head, sha: pull.headSha, repo: repository }, base: { ...payload.pull_request.base, repo: repository } };
  return payload;
}

/** Delivers a webhook as GitHub does: JSON body, event and delivery headers, HMAC SHA-256 signature. */
export async function deliverWebhook(url: string, secret: string, event: string, deliveryId: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': deliveryId, 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
    body,
  });
}
