// What the release keeps of a finished action (stage, pre-flight check or rollback step): its result
// for people (summary and output tail, already scrubbed) and, for the audit, how it ended as data.

/** An action's result as data: its one-line summary and the end of its output. */
export interface ActionOutput {
  summary: string;
  tail?: string;
}

/**
 * How the action ended, for the audit log (SPEC 4: commands run and their exit codes). Only these
 * fields, never the argv: its placeholders may have been filled with secrets.
 */
export interface ActionExit {
  /** A command's exit code, when it exited (not when it was killed, timed out or did not start). */
  exitCode?: number;
  /** Whether the action's own time limit ended it, where the action kind knows. */
  timedOut?: boolean;
}

/** The fields every "an action finished" event carries. */
export interface ActionEnd {
  ok: boolean;
  /** The action's result as data (the card and thread show the tail in a code block). */
  output?: ActionOutput;
  exit?: ActionExit;
}
