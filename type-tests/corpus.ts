// The registry of the must-not-compile corpus. Each case is a mistake written as code: tsd proves the compiler
// rejects it (expectError), tests/negative.test.ts checks the compiler's message, and runs the code to check
// that the runtime rejects it with the same sentence.

export interface NegativeCase {
  /** The sentence the compiler must show (contained in its diagnostic). */
  readonly message: string;
  /** The sentence the runtime must throw; the same unless the type level words it differently. */
  readonly runtimeMessage: string;
  readonly run: () => unknown;
}

export const cases: NegativeCase[] = [];

/** Registers a mistake. `run` must not compile (with `message`) and must throw `runtimeMessage` when run. */
export function mustNotCompile(message: string, run: () => unknown, runtimeMessage: string = message): void {
  cases.push({ message, runtimeMessage, run });
}
