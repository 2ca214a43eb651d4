// What one file may cost the interpreter: every file ends, whatever its code does.

export const LIMITS = {
  /** passes of one loop that are followed; the rest are treated as unknown */
  loopPasses: 64,
  /** nested user-function calls followed before the result is treated as unknown */
  callDepth: 12,
  /**
   * runs of one function or class nested in itself under a condition footgun cannot decide: a tree
   * that builds smaller copies of itself down to a depth it cannot read would otherwise double at
   * every level
   */
  uncertainRecursion: 2,
  /** statements executed per file, across all loops and calls */
  statements: 50_000,
  /** nesting of expressions evaluated */
  expressionDepth: 200,
  /**
   * expressions evaluated per file (comprehensions nest without statements); copying and merging
   * the containers that branches footgun cannot decide change costs one per item
   */
  evaluations: 2_000_000,
  /** items of a list or tuple footgun keeps (`layers = layers + layers` in a loop doubles it each pass); past it, the rest is unknown */
  sequenceItems: 4096,
  /** characters of a string footgun keeps; a longer one is unknown */
  stringLength: 100_000,
  /**
   * layer applications (graph nodes) and models created per file: every later stage (forward
   * passes, shapes, rules) walks them, and one statement can make thousands (a recursive builder)
   */
  graph: 15_000,
  /** layers of all the models read from a file together: models can share layers, so this can exceed the graph */
  modelLayers: 30_000,
};

export type Spent = 'statements' | 'expressions' | 'graph';

/** The statements, expressions and graph a file has left; once one runs out, the interpreter stops following the file. */
export class Budget {
  private statementsLeft = LIMITS.statements;
  private evaluationsLeft = LIMITS.evaluations;
  private graphLeft = LIMITS.graph;

  /** spends one statement; false when the file's budget is used up */
  statement(): boolean {
    return this.statementsLeft-- > 0 && this.evaluationsLeft > 0 && this.graphLeft > 0;
  }

  /** spends one evaluation; false when the file's budget is used up */
  evaluation(): boolean {
    return this.evaluationsLeft-- > 0 && this.graphLeft > 0;
  }

  /** spends work worth `units` evaluations (copying a container's items) */
  work(units: number): void {
    this.evaluationsLeft -= units;
  }

  /** spends one graph node or model; false when the file's budget is used up */
  graphItem(): boolean {
    return this.graphLeft-- > 0;
  }

  /** which budget ran out first, if one has */
  get exhausted(): Spent | undefined {
    if (this.graphLeft <= 0) return 'graph';
    if (this.evaluationsLeft <= 0) return 'expressions';
    return this.statementsLeft <= 0 ? 'statements' : undefined;
  }

  /** what the file has spent so far, for tests that show a file's cost is bounded */
  get spent(): Record<Spent, number> {
    return { statements: LIMITS.statements - Math.max(0, this.statementsLeft), expressions: LIMITS.evaluations - Math.max(0, this.evaluationsLeft), graph: LIMITS.graph - Math.max(0, this.graphLeft) };
  }
}
