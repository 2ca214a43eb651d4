import type { ProbotOctokit } from 'probot';

type Octokit = InstanceType<typeof ProbotOctokit>;

export interface PullRequestFile {
  filename: string;
  /** added, removed, modified, renamed, copied, changed or unchanged */
  status: string;
  patch?: string;
  /** the old path of a renamed (or copied) file */
  previous_filename?: string;
}

/** GitHub lists at most this many files of a pull request. */
export const GITHUB_FILE_LIST_LIMIT = 3000;

export interface HttpError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

export function httpStatus(error: unknown): number | undefined {
  return (error as HttpError).status;
}

/**
 * A GitHub failure that may pass if the same request is made later: a server error or no answer
 * (Octokit reports a network failure as status 500), a timeout, a rate limit. A 4xx that names a
 * cause (no permission, not found, invalid) is not, and neither is an error that is not GitHub's.
 */
export function isTransient(error: unknown): boolean {
  const { status, message, response } = error as HttpError;
  if (status === undefined) return false;
  if (status >= 500 || status === 408 || status === 429) return true;
  return status === 403 && (response?.headers?.['retry-after'] !== undefined || response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message ?? ''));
}

const RETRIES = 3;
const MAX_WAIT_SECONDS = 60;

/**
 * Runs one GitHub request, retrying rate limits (after `retry-after`) and server errors (with
 * back-off). Probot's throttling and retry plugins do this too when they are enabled; this keeps
 * the App correct when they are not, and bounds the waiting.
 */
export async function withRetries<T>(request: () => Promise<T>, sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms))): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const { status, message, response } = error as HttpError;
      const retryAfter = Number(response?.headers?.['retry-after']);
      const rateLimited = (status === 403 || status === 429) && (Number.isFinite(retryAfter) || /rate limit/i.test(message ?? ''));
      const serverError = status !== undefined && status >= 500;
      if (attempt >= RETRIES || (!rateLimited && !serverError)) throw error;
      const seconds = rateLimited ? (Number.isFinite(retryAfter) ? retryAfter : 60) : 2 ** attempt;
      await sleep(Math.min(seconds, MAX_WAIT_SECONDS) * 1000);
    }
  }
}

export async function listPullRequestFiles(octokit: Octokit, owner: string, repo: string, pullNumber: number): Promise<{ files: PullRequestFile[]; truncated: boolean }> {
  const files = (await withRetries(() =>
    octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 }),
  )) as PullRequestFile[];
  return { files, truncated: files.length >= GITHUB_FILE_LIST_LIMIT };
}

export type FetchedFile = { path: string; content: Uint8Array | string } | { path: string; error: string };

/**
 * The files' contents at a commit (the head, read from the head repository, which is the fork for
 * a fork's pull request; or the base), a few at a time, one request each. A file that cannot be
 * read becomes an error, not a failure.
 */
export async function fetchContents(octokit: Octokit, owner: string, repo: string, ref: string, paths: readonly string[], concurrency = 8): Promise<FetchedFile[]> {
  const results: FetchedFile[] = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const index = next++;
      const path = paths[index]!;
      try {
        const response = await withRetries(() => octokit.rest.repos.getContent({ owner, repo, path, ref, mediaType: { format: 'raw' } }));
        const data: unknown = response.data;
        // GitHub sends raw contents as text, or as bytes when it does not call them UTF-8
        results[index] = { path, content: typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : String(data) };
      } catch (error) {
        results[index] = { path, error: `could not be read from GitHub (${httpStatus(error) ?? 'network error'}: ${(error as Error).message})` };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, worker));
  return results;
}
