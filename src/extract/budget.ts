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
  /** expressions evaluated per file (comprehensions nest without statements) */
  evaluations: 2_000_000,
};

/** The statements and expressions a file has left; once either runs out, the interpreter stops following the file. */
export class Budget {
  private statementsLeft = LIMITS.statements;
  private evaluationsLeft = LIMITS.evaluations;

  /** spends one statement; false when the file's budget is used up */
  statement(): boolean {
    return this.statementsLeft-- > 0 && this.evaluationsLeft > 0;
  }

  /** spends one evaluation; false when the file's budget is used up */
  evaluation(): boolean {
    return this.evaluationsLeft-- > 0;
  }
}
