// Jupyter notebooks (.ipynb): the code cells, in order, are analysed as one Python program, and
// every position footgun reports is mapped back to the notebook file. nbformat's standard layout
// (what Jupyter, VS Code and nbformat write) puts each source line of a cell on a line of its own
// in the file, so a finding lands on the file line GitHub shows in a pull request's diff.
import type { Node as JsonNode } from 'jsonc-parser';
import { parseTree } from 'jsonc-parser';
import type { FileResult, ModelSummary } from './analyze.js';
import { analyzeSource, formatBytes } from './analyze.js';
import type { Config } from './config/config.js';
import type { Finding } from './rules/engine.js';

export function isNotebook(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}

/**
 * Outputs (plots, tables) make notebooks much larger than their code, and are never read: the
 * configured size limit applies to the code, and only files over this are refused unread.
 */
export const NOTEBOOK_FILE_LIMIT = 64 * 1024 * 1024;

/** The largest file footgun reads at a path: notebooks are measured by their code, not their outputs. */
export function readLimit(path: string, maxFileBytes: number): number {
  return isNotebook(path) ? Math.max(maxFileBytes, NOTEBOOK_FILE_LIMIT) : maxFileBytes;
}

/** A line of the program and where it is in the notebook. */
interface ProgramLine {
  /** 1-based, among all cells of the notebook (markdown cells count: that is how a reader counts them) */
  cell: number;
  /** 1-based line within the cell */
  cellLine: number;
  /** 1-based line of the notebook file holding the JSON string this line is in */
  fileLine: number;
  /** 1-based file column of each character of the line (and of its end), through the JSON escapes */
  fileColumns: number[];
}

export interface NotebookProgram {
  /** the code cells joined, magics and shell lines blanked */
  program: string;
  lines: ProgramLine[];
  /** each cell's source lines, by 1-based cell number (empty for markdown and raw cells) */
  cells: string[][];
}

/** Cell magics whose body is still Python that runs (`%%time` times it, `%%capture` hides its output). */
const PYTHON_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'tensorflow_version']);

/** Line magics, shell escapes, help requests and `get_ipython()` calls: IPython, not Python, and nothing footgun reads. */
const IPYTHON_LINE = /^\s*(?:[%!?]|[\w.]+\?\??\s*$|get_ipython\(\)|[\w.,\s]+=\s*[%!])/;

export class NotebookError extends Error {}

/** Reads a notebook's code cells as one program. Throws a NotebookError that says what is wrong with the file. */
export function readNotebook(text: string): NotebookProgram {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new NotebookError(`not a valid notebook: the file is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(data)) throw new NotebookError('not a valid notebook: the file is JSON but not an nbformat object');
  if (typeof data.nbformat === 'number' && data.nbformat < 4) {
    throw new NotebookError(`not read: nbformat ${data.nbformat} notebook; footgun reads nbformat 4 (convert it with \`jupyter nbconvert --to notebook --nbformat 4\`)`);
  }
  if (!Array.isArray(data.cells)) throw new NotebookError("not a valid notebook: no 'cells' list (nbformat 4)");
  const language = notebookLanguage(data.metadata);
  if (language !== undefined && language.toLowerCase() !== 'python') throw new NotebookError(`skipped: a ${language} notebook, not Python`);
  const tree = parseTree(text);
  const cellNodes = tree?.children?.find((property) => property.children?.[0]?.value === 'cells')?.children?.[1]?.children ?? [];
  const lineStarts = lineStartOffsets(text);
  const programLines: string[] = [];
  const lines: ProgramLine[] = [];
  const cells: string[][] = [];
  data.cells.forEach((cell, index) => {
    const number = index + 1;
    if (!isRecord(cell) || typeof cell.cell_type !== 'string') throw new NotebookError(`not a valid notebook: cell ${number} has no cell_type`);
    const source = cell.source;
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every((part) => typeof part === 'string'))) {
      throw new NotebookError(`not a valid notebook: cell ${number} has no source (a string or a list of strings)`);
    }
    if (cell.cell_type !== 'code') {
      cells.push([]);
      return;
    }
    const sourceNode = cellNodes[index]?.children?.find((property) => property.children?.[0]?.value === 'source')?.children?.[1];
    const cellLines = cellSourceLines(text, sourceNode, lineStarts);
    cells.push(cellLines.map((line) => line.text));
    const body = cellBody(cellLines.map((line) => line.text));
    cellLines.forEach((line, lineIndex) => {
      programLines.push(body[lineIndex]!);
      lines.push({ cell: number, cellLine: lineIndex + 1, fileLine: line.fileLine, fileColumns: line.fileColumns });
    });
  });
  return { program: programLines.join('\n'), lines, cells };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notebookLanguage(metadata: unknown): string | undefined {
  if (!isRecord(metadata)) return undefined;
  const kernel = isRecord(metadata.kernelspec) ? metadata.kernelspec.language : undefined;
  const info = isRecord(metadata.language_info) ? metadata.language_info.name : undefined;
  const language = typeof kernel === 'string' ? kernel : typeof info === 'string' ? info : undefined;
  return language === '' ? undefined : language;
}

/** The cell's lines with IPython syntax blanked; a cell run by another language (`%%bash`) is blanked whole. */
function cellBody(source: string[]): string[] {
  const magic = /^\s*%%(\w+)/.exec(source[0] ?? '');
  if (magic && !PYTHON_CELL_MAGICS.has(magic[1]!)) return source.map(() => '');
  return source.map((line, index) => (index === 0 && magic ? '' : IPYTHON_LINE.test(line) ? blanked(line) : line));
}

/** `pass` at the line's indentation keeps an indented block valid when its only line was a magic. */
function blanked(line: string): string {
  const indent = /^\s*/.exec(line)![0];
  return indent.length > 0 ? `${indent}pass` : '';
}

interface SourceLine {
  text: string;
  fileLine: number;
  fileColumns: number[];
}

/**
 * A cell's source as lines, each with the file position of its characters. The source is a list of
 * JSON strings (one per line in nbformat's layout) or one string; a line is cut at each newline.
 */
function cellSourceLines(text: string, sourceNode: JsonNode | undefined, lineStarts: number[]): SourceLine[] {
  const strings = sourceNode?.type === 'array' ? (sourceNode.children ?? []) : sourceNode ? [sourceNode] : [];
  const lines: SourceLine[] = [];
  let current: SourceLine | undefined;
  let end = 1;
  for (const node of strings) {
    if (node.type !== 'string') continue;
    const { line, column } = position(node.offset, lineStarts);
    const decoded = node.value as string;
    const rawOffsets = decodedToRaw(text.slice(node.offset, node.offset + node.length));
    for (let i = 0; i < decoded.length; i++) {
      current ??= { text: '', fileLine: line, fileColumns: [] };
      const char = decoded[i]!;
      if (char === '\r' && decoded[i + 1] === '\n') continue;
      current.fileColumns.push(column + rawOffsets[i]!);
      if (char === '\n') {
        lines.push(current);
        current = undefined;
      } else {
        current.text += char;
      }
    }
    end = column + rawOffsets[decoded.length]!;
  }
  if (current) {
    current.fileColumns.push(end);
    lines.push(current);
  }
  return lines;
}

/** For each UTF-16 unit of a JSON string's value (and its end), its offset in the string literal as written. */
function decodedToRaw(raw: string): number[] {
  const offsets: number[] = [];
  for (let i = 1; i < raw.length - 1; ) {
    offsets.push(i);
    if (raw[i] !== '\\') i++;
    else i += raw[i + 1] === 'u' ? 6 : 2;
  }
  offsets.push(raw.length - 1);
  return offsets;
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
function position(offset: number, lineStarts: number[]): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low]! + 1 };
}

/**
 * Analyses a notebook: its code as one program, every line and column of the result mapped to the
 * notebook file, the cell and line kept beside them (`notebook`), and messages that name a line
 * ("the loss at line 29") naming the cell instead.
 */
export function analyzeNotebook(path: string, content: string | Uint8Array, config: Config): FileResult {
  const empty: FileResult = { path, error: null, findings: [], models: [] };
  const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
  if (size > NOTEBOOK_FILE_LIMIT) return { ...empty, error: `skipped: the notebook is ${formatBytes(size)}, over the ${formatBytes(NOTEBOOK_FILE_LIMIT)} footgun reads (clear its outputs to have it analysed)` };
  let text: string;
  try {
    text = typeof content === 'string' ? content : new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { ...empty, error: 'skipped: not valid UTF-8 text (nbformat notebooks are UTF-8 JSON)' };
  }
  let notebook: NotebookProgram;
  try {
    notebook = readNotebook(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    if (error instanceof NotebookError) return { ...empty, error: error.message };
    throw error;
  }
  const result = analyzeSource(path, notebook.program, config);
  return { ...result, findings: result.findings.map((finding) => mapFinding(finding, notebook)), models: result.models.map((model) => mapModel(model, notebook)) };
}

function mapFinding(finding: Finding, notebook: NotebookProgram): Finding {
  const start = notebook.lines[finding.line - 1];
  const end = notebook.lines[finding.endLine - 1];
  if (!start || !end) return finding;
  const mapped: Finding = {
    ...finding,
    line: start.fileLine,
    column: fileColumn(start, finding.column),
    endLine: end.fileLine,
    endColumn: fileColumn(end, finding.endColumn),
    message: cellReferences(finding.message, notebook),
    related: finding.related.map((related) => {
      const line = notebook.lines[related.line - 1];
      return line ? { line: line.fileLine, message: cellReferences(related.message, notebook), notebook: { cell: line.cell, line: line.cellLine } } : related;
    }),
    notebook: { cell: start.cell, line: start.cellLine, column: finding.column, endLine: end.cellLine, endColumn: finding.endColumn },
  };
  if (finding.trace) mapped.trace = [...new Set(finding.trace.map((line) => notebook.lines[line - 1]?.fileLine).filter((line): line is number => line !== undefined))];
  delete mapped.fix;
  const fix = finding.fix;
  const fixLine = fix && fix.range.line === fix.range.endLine ? notebook.lines[fix.range.line - 1] : undefined;
  if (fix && fixLine) {
    // the replacement goes into a JSON string: escaped as JSON writes it
    mapped.fix = {
      range: { line: fixLine.fileLine, column: fileColumn(fixLine, fix.range.column), endLine: fixLine.fileLine, endColumn: fileColumn(fixLine, fix.range.endColumn) },
      replacement: JSON.stringify(fix.replacement).slice(1, -1),
    };
  }
  return mapped;
}

function fileColumn(line: ProgramLine, column: number): number {
  return line.fileColumns[Math.min(column, line.fileColumns.length) - 1] ?? 1;
}

function mapModel(model: ModelSummary, notebook: NotebookProgram): ModelSummary {
  const fileLine = (line: number) => notebook.lines[line - 1]?.fileLine ?? line;
  return { ...model, line: fileLine(model.line), layers: model.layers.map((layer) => ({ ...layer, line: fileLine(layer.line) })) };
}

/** "line 29" in a message becomes "cell 4, line 2": a notebook's reader finds code by cell. */
function cellReferences(message: string, notebook: NotebookProgram): string {
  return message.replace(/\bline (\d+)\b/g, (whole, digits: string) => {
    const line = notebook.lines[Number(digits) - 1];
    return line ? `cell ${line.cell}, line ${line.cellLine}` : whole;
  });
}
