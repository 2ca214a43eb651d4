import type { ProbotOctokit } from 'probot';
import { isTransient } from '../fetch/github.js';

type Octokit = Pick<InstanceType<typeof ProbotOctokit>, 'hook'>;

interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
}

interface RequestOptions {
  method: string;
  url: string;
  [key: string]: unknown;
}

/**
 * Watches the Action's GitHub requests: it keeps what the review writes to its check run (for the
 * job summary and the step's outcome), and once GitHub refuses a write for want of permission
 * (403), the review's remaining writes are kept here instead of sent, so that the whole review can
 * still be shown in the job log.
 */
export class ReadOnlyFallback {
  /** GitHub's message for the first refused write; undefined while writes go through */
  refusal?: string;
  readonly checkRun: { title?: string; summary?: string; conclusion?: string; annotations: Annotation[] } = { annotations: [] };
  reviewBody?: string;
  private readonly reviewComments: { path: string; line: number; body: string }[] = [];

  readonly plugin = (octokit: Octokit): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const write = options.method !== 'GET' && options.method !== 'HEAD';
      if (!write) return request(options);
      if (this.refusal === undefined) {
        try {
          const response = await request(options);
          this.observe(options as unknown as RequestOptions);
          return response;
        } catch (error) {
          if ((error as { status?: number }).status !== 403 || isTransient(error)) throw error;
          this.refusal = (error as Error).message;
        }
      }
      this.observe(options as unknown as RequestOptions);
      // the write GitHub refused, answered as if it went through: the review runs to its end here
      return { status: 200, url: options.url, headers: {}, data: { id: 0 } } as never;
    });
  };

  /** The annotations as workflow commands (`::error file=…,line=…::message`), which GitHub shows on the diff. */
  annotationCommands(): string[] {
    const command = { failure: 'error', warning: 'warning', notice: 'notice' } as const;
    const fromComments = this.reviewComments.filter((comment) => !this.checkRun.annotations.some((a) => a.path === comment.path && a.start_line === comment.line));
    return [
      ...this.checkRun.annotations.map((a) => `::${command[a.annotation_level]} file=${property(a.path)},line=${a.start_line},endLine=${a.end_line}${a.title ? `,title=${property(a.title)}` : ''}::${data(a.message)}`),
      ...fromComments.map((comment) => `::warning file=${property(comment.path)},line=${comment.line}::${data(comment.body)}`),
    ];
  }

  private observe(options: RequestOptions): void {
    const body = options as { output?: { title?: string; summary?: string; annotations?: Annotation[] }; conclusion?: string; body?: string; comments?: { path: string; line: number; body: string }[] };
    if (/\/check-runs/.test(options.url)) {
      if (body.output?.title) this.checkRun.title = body.output.title;
      if (body.output?.summary) this.checkRun.summary = body.output.summary;
      this.checkRun.annotations.push(...(body.output?.annotations ?? []));
      if (body.conclusion) this.checkRun.conclusion = body.conclusion;
    } else if (/\/pulls\/\{?[\w]+\}?\/reviews$/.test(options.url) && options.method === 'POST') {
      this.reviewBody = body.body;
      this.reviewComments.push(...(body.comments ?? []));
    }
  }
}

/** Workflow command escaping (as @actions/core does). */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function property(text: string): string {
  return data(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
