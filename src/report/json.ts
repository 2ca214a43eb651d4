import type { FileResult, ModelSummary } from '../analyze.js';
import type { ReportWriter } from './stream.js';
import { JsonTemplate, stringifyAt, writeAll } from './stream.js';
import { RunTally } from './summary.js';

const FILES = '\u0000files';
const SUMMARY = '\u0000summary';
const MODELS = '\u0000models';
/** where a file's entry holds its models: in the `files` array, under `models` */
const MODELS_DEPTH = 3;
const MODELS_WRITTEN = Symbol('models written as JSON');

type HeldResult = FileResult & { [MODELS_WRITTEN]?: string };

/**
 * A result kept in little memory until the report is written (the CLI waits for every file, as a
 * finding a file causes in a module it imports goes to that module's entry): its models already
 * written as this report's JSON when `asJson`, else only their roles kept, which is all the other
 * formats count. Spreading the result keeps what was written.
 */
export function compactResult(result: FileResult, asJson: boolean): FileResult {
  const roles = result.models.map((model) => ({ role: model.role }) as ModelSummary);
  const compact: HeldResult = { ...result, models: roles };
  if (asJson) compact[MODELS_WRITTEN] = stringifyAt(result.models, MODELS_DEPTH);
  return compact;
}

/** The versioned JSON contract other front ends and evaluation scripts read, written file by file. */
export function jsonReport(): ReportWriter {
  const tally = new RunTally();
  const template = new JsonTemplate({ version: 1, files: [FILES], summary: SUMMARY }, [FILES]);
  return {
    begin: () => template.begin(),
    file(result) {
      tally.add(result);
      const written = (result as HeldResult)[MODELS_WRITTEN];
      const entry = template.item({
        path: result.path,
        error: result.error,
        // `trace` serves reviews (where a change caused a finding); it is not part of the contract
        findings: result.findings.map(({ trace: _trace, ...finding }) => finding),
        models: written === undefined ? result.models : MODELS,
      });
      return written === undefined ? entry : entry.replace(JSON.stringify(MODELS), () => written);
    },
    end() {
      const { skipped: _skipped, ...summary } = tally.summary;
      return template.close().replace(JSON.stringify(SUMMARY), () => JSON.stringify(summary, null, 2).replace(/\n/g, '\n  '));
    },
  };
}

export function toJson(results: readonly FileResult[]): string {
  return writeAll(jsonReport(), results);
}
