import type { FileResult } from '../analyze.js';
import type { AnyRule, Severity } from '../rules/rule.js';
import { fingerprints } from '../review/fingerprint.js';
import { PROJECT_URL, ruleDocUrl, ruleMarkdown } from '../rules/docs.js';

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
  const index = new Map(rules.map((rule, i) => [rule.meta.id, i]));
  const sarif = {
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
        results: results.flatMap((result) => {
          const prints = fingerprints(result.path, result.findings, source(result.path));
          return result.findings.map((finding, i) => ({
            ruleId: finding.rule,
            ruleIndex: index.get(finding.rule),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [location(result.path, finding.line, finding.column, finding.endLine, finding.endColumn)],
            ...(finding.related.length > 0
              ? { relatedLocations: finding.related.map((related, id) => ({ id, ...location(result.path, related.line), message: { text: related.message } })) }
              : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: prints[i]! },
          }));
        }),
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: results
              .filter((result) => result.error)
              .map((result) => ({ level: 'warning', message: { text: result.error }, locations: [location(result.path, 1)] })),
          },
        ],
      },
    ],
  };
  return JSON.stringify(sarif, null, 2);
}

function location(path: string, line: number, column?: number, endLine?: number, endColumn?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: path.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, ...(column ? { startColumn: column } : {}), ...(endLine ? { endLine } : {}), ...(endColumn ? { endColumn } : {}) },
    },
  };
}
