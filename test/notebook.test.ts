// Jupyter notebooks: the code cells as one program, positions mapped back to the notebook file.
import { describe, expect, it } from 'vitest';
import { analyzeNotebook, readNotebook } from '../src/notebook.js';
import { configFrom } from './helpers.js';

const PYTHON = { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } };

/** nbformat's standard layout: one-space indent, each source line a string of its own. */
function standard(cells: string[][]): string {
  const source = (lines: string[]) => lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
  return JSON.stringify({ cells: cells.map((lines) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: source(lines) })), metadata: PYTHON, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('reading a notebook', () => {
  it('joins the code cells in order, blanking magics, shell lines, help and get_ipython()', () => {
    const notebook = readNotebook(
      standard([
        ['%matplotlib inline', '!pip install keras', 'files = !ls', 'model.fit?', 'import keras'],
        ['for i in range(3):', '    %time step(i)', "get_ipython().system('nvidia-smi')"],
      ]),
    );
    expect(notebook.program).toBe(['', '', '', '', 'import keras', 'for i in range(3):', '    pass', ''].join('\n'));
    expect(notebook.lines.map((line) => `${line.cell}:${line.cellLine}`)).toEqual(['1:1', '1:2', '1:3', '1:4', '1:5', '2:1', '2:2', '2:3']);
  });

  it('keeps the body of a %%time cell and drops a %%bash cell; markdown cells count as cells', () => {
    const text = JSON.stringify({
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Title'] },
        { cell_type: 'code', metadata: {}, outputs: [], source: ['%%bash\n', 'python train.py\n'] },
        { cell_type: 'code', metadata: {}, outputs: [], source: ['%%time\n', 'x = 1'] },
      ],
      metadata: PYTHON,
      nbformat: 4,
    });
    const notebook = readNotebook(text);
    expect(notebook.program).toBe(['', '', '', 'x = 1'].join('\n'));
    expect(notebook.lines.map((line) => `${line.cell}:${line.cellLine}`)).toEqual(['2:1', '2:2', '3:1', '3:2']);
    expect(notebook.cells[0]).toEqual([]);
  });

  it('maps columns through JSON escapes, and a source written as one string to its one line', () => {
    const text = JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], source: 'label = "é\t"\r\nmodel.add(Dropout(rate=1))' }], metadata: PYTHON, nbformat: 4 });
    const notebook = readNotebook(text);
    expect(notebook.program).toBe('label = "é\t"\nmodel.add(Dropout(rate=1))');
    const [first, second] = notebook.lines;
    expect(first!.fileLine).toBe(1);
    expect(second!.fileLine).toBe(1);
    // 'model' starts after the escaped \r\n of the first line
    const column = second!.fileColumns[0]!;
    expect(text.slice(column - 1, column - 1 + 'model.add'.length)).toBe('model.add');
    const tab = first!.fileColumns['label = "é'.length]!;
    expect(text.slice(tab - 1, tab + 1)).toBe('\\t');
  });

  it('says what is wrong with a file that is not a notebook', () => {
    expect(() => readNotebook('not json')).toThrow(/^not a valid notebook: the file is not JSON \(/);
    expect(() => readNotebook('[1, 2]')).toThrow('not a valid notebook: the file is JSON but not an nbformat object');
    expect(() => readNotebook('{"metadata": {}}')).toThrow("not a valid notebook: no 'cells' list (nbformat 4)");
    expect(() => readNotebook('{"cells": [{"cell_type": "code"}]}')).toThrow('not a valid notebook: cell 1 has no source (a string or a list of strings)');
    expect(() => readNotebook('{"cells": [{"source": []}]}')).toThrow('not a valid notebook: cell 1 has no cell_type');
  });
});

describe('analysing a notebook', () => {
  it('reports on the notebook file lines, keeps the cell position, and names cells in messages', () => {
    const text = standard([
      ['import torch', 'import torch.nn as nn'],
      ['model = nn.Sequential(nn.Linear(20, 64), nn.Linear(64, 10))'],
    ]);
    const result = analyzeNotebook('nb.ipynb', text, configFrom());
    const missing = result.findings.find((finding) => finding.rule === 'missing-activation')!;
    expect(text.split('\n')[missing.line - 1]).toBe('    "model = nn.Sequential(nn.Linear(20, 64), nn.Linear(64, 10))"');
    expect(missing.notebook).toMatchObject({ cell: 2, line: 1 });
    expect(missing.message).toContain('Linear(…, 64) feeds Linear(…, 10) at cell 2, line 1 with no activation');
    expect(result.models[0]!.line).toBe(missing.line);
  });

  it('a notebook with a syntax error in one cell is still analysed around it', () => {
    const result = analyzeNotebook('nb.ipynb', standard([['model = Sequential(', ''], ['model.add(Dropout(rate=1))']]), configFrom());
    expect(result.error).toBeNull();
    expect(result.findings.map((finding) => finding.rule)).toContain('syntax-error');
  });

  it('an empty notebook is no error', () => {
    expect(analyzeNotebook('nb.ipynb', standard([]), configFrom())).toMatchObject({ error: null, findings: [], models: [] });
  });
});
