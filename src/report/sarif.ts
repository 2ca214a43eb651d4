import type { FileResult } from '../analyze.js';
import type { AnyRule, Severity } from '../rules/rule.js';
import { fingerprints } from '../review/fingerprint.js';
import { PROJECT_URL, ruleDocUrl, ruleMarkdown } from '../rules/docs.js';
import type { ReportWriter } from './stream.js';
import { JsonTemplate, writeAll } from './stream.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** The key of footgun's fingerprint in a SARIF result's `partialFingerprints`. */
export const FINGERPRINT_KEY = 'footgunFinding/v1';

/**
 * SARIF 2.1.0, the format GitHub code scanning accepts. Each result carries footgun's own
 * fingerprint (the rule, the model, the layer and what the finding says: never a line number or a
 * hash of the line), so code scanning keeps one alert for a finding across pushes and moved code,
 * as the App does. `source` gives a file's text, for findings about no model (identified by their code).
 */
export function toSarif(results: readonly FileResult[], rules: readonly AnyRule[], version: string, source: (path: string) => string | undefined = () => undefined): string {
  return writeAll(sarifReport(rules, version), results, source);
}

const RESULTS = '\u0000results';
const NOTIFICATIONS = '\u0000notifications';

/** SARIF written file by file: the results as they come, the files footgun could not analyse at the end. */
export function sarifReport(rules: readonly AnyRule[], version: string): ReportWriter {
  const index = new Map(rules.map((rule, i) => [rule.meta.id, i]));
  const template = new JsonTemplate(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'footgun',
              version,
              informationUri: PROJECT_URL,
              rules: rules.map((rule) => ({
                id: rule.meta.id,
                name: rule.meta.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
                shortDescription: { text: rule.meta.summary },
                fullDescription: { text: `${rule.meta.docs.whatItDoes} ${rule.meta.docs.whyIsThisBad}` },
                help: { text: `${rule.meta.docs.whyIsThisBad}\n\nUse instead:\n${rule.meta.docs.useInstead}`, markdown: ruleMarkdown(rule) },
                helpUri: ruleDocUrl(rule.meta.id),
                defaultConfiguration: { level: LEVEL[rule.meta.severity] },
              })),
            },
          },
          results: [RESULTS],
          invocations: [{ executionSuccessful: true, toolExecutionNotifications: [NOTIFICATIONS] }],
        },
      ],
    },
    [RESULTS, NOTIFICATIONS],
  );
  const failures: { path: string; error: string }[] = [];
  return {
    begin: () => template.begin(),
    file(result, source) {
      if (result.error) failures.push({ path: result.path, error: result.error });
      const prints = fingerprints(result.path, result.findings, source);
      return result.findings
        .map((finding, i) =>
          template.item({
            ruleId: finding.rule,
            ruleIndex: index.get(finding.rule),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [location(result.path, finding.line, finding.column, finding.endLine, finding.endColumn)],
            ...(finding.related.length > 0
              ? { relatedLocations: finding.related.map((related, id) => ({ id, ...location(result.path, related.line), message: { text: related.message } })) }
              : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: prints[i]! },
          }),
        )
        .join('');
    },
    end() {
      const between = template.close();
      const notifications = failures.map((failure) => template.item({ level: 'warning', message: { text: failure.error }, locations: [location(failure.path, 1)] })).join('');
      return between + notifications + template.close();
    },
  };
}

function location(path: string, line: number, column?: number, endLine?: number, endColumn?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, ...(column ? { startColumn: column } : {}), ...(endLine ? { endLine } : {}), ...(endColumn ? { endColumn } : {}) },
    },
  };
}
