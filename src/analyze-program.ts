// Projects split over files: each analysed file is read with the project modules it imports, and
// the findings are grouped by the file whose line causes them. Pure, like analyze.ts: the front end
// supplies the project's files.
import { RULES } from '../rules/index.js';
import type { FileResult } from './analyze.js';
import { analyzeSource, uniqueInReadingOrder } from './analyze.js';
import type { Config } from './config/config.js';
import type { ProgramLimits, ProjectFiles } from './extract/program.js';
import { Project } from './extract/program.js';
import type { Finding } from './rules/engine.js';

export interface ProgramEntry {
  /** relative to the project root */
  path: string;
  content: string | Uint8Array;
}

/**
 * Analyses the entry files of a project as programs that import the project's other files: a
 * class defined in `models.py` and trained in `train.py` is read as one model, and a finding stays
 * on the line that causes it, in whichever file that is. A file that is both an entry and imported
 * is reported once per finding.
 */
export function analyzeProgram(entries: readonly ProgramEntry[], files: ProjectFiles, config: Config, limits?: ProgramLimits): FileResult[] {
  const project = new Project(files, limits);
  const results = entries.map((entry) => analyzeSource(entry.path, entry.content, config, RULES, { project, path: entry.path }));
  return groupByFile(results, (path) => path);
}

/**
 * Moves the findings each result has in other project files (`finding.path`) to those files'
 * results (added after the others when the file was not analysed itself), one finding per rule
 * and position. `displayPath` turns a project path into the path results are reported under.
 */
export function groupByFile(results: readonly FileResult[], displayPath: (projectPath: string, from: FileResult) => string): FileResult[] {
  const byPath = new Map<string, FileResult>();
  const grouped: FileResult[] = [];
  for (const result of results) {
    const own = { ...result, findings: [] as Finding[] };
    byPath.set(result.path, own);
    grouped.push(own);
  }
  const place = (path: string, finding: Finding) => {
    let result = byPath.get(path);
    if (!result) {
      result = { path, error: null, findings: [], models: [] };
      byPath.set(path, result);
      grouped.push(result);
    }
    result.findings.push(finding);
  };
  for (const result of results) {
    const fileOf = (path: string | undefined) => (path === undefined ? result.path : displayPath(path, result));
    for (const { path, ...finding } of result.findings) {
      const file = fileOf(path);
      // a related line names its file when it is in another one than the finding
      const related = finding.related.map(({ path: relatedPath, ...line }) => (fileOf(relatedPath) === file ? line : { ...line, path: fileOf(relatedPath) }));
      place(file, { ...finding, related });
    }
  }
  for (const result of grouped) result.findings = uniqueInReadingOrder(result.findings);
  return grouped;
}
