// Training progress as Keras's ProgbarLogger shows it (keras/src/callbacks/progbar_logger.py, utils/progbar.py):
//    Epoch 2/5                                   (only when there are several epochs)
//    12/32 [========>.....................] - ETA: 3s - loss: 0.6931 - accuracy: 0.5000
// verbose 1 ('auto', the default) refreshes that bar in place on a terminal; off a terminal, and with verbose 2,
// each epoch gets one line as Keras's verbose 2 writes it: `32/32 - 1s - 20ms/step - loss: 0.6931`. Nothing with
// verbose 0.
// When the number of steps is not known (a dataset of unknown size, without stepsPerEpoch), the bar is Keras's
// `12/Unknown 3s 250ms/step - loss: 0.6931`, and the count the first epoch reached is the total after it.

export type Verbosity = 0 | 1 | 2 | 'auto';
export const verbosities: readonly Verbosity[] = [0, 1, 2, 'auto'];

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
}

const width = 30;

/** Python's `f"{value:.4e}"`: the exponent has a sign and at least two digits. */
function exponential(value: number): string {
  return value.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** A value as Keras's Progbar shows it: 4 decimals, or 4 significant digits in exponent form below 1e-3. */
export function formatLogValue(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return Math.abs(value) > 1e-3 ? value.toFixed(4) : exponential(value);
}

function format(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .map(([name, value]) => ` - ${name}: ${formatLogValue(value)}`)
    .join('');
}

/** Keras's `_format_time`: the time per step in s, ms or us. */
function perStep(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${Math.round(seconds)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1000)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

function duration(seconds: number): string {
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

export class Progress {
  private readonly live: boolean;
  private readonly verbose: 0 | 1 | 2;
  private started = 0;
  private lastDraw = 0;
  /** The steps an epoch of unknown size took, once one has ended (Keras's ProgbarLogger learns its target so). */
  private learned: number | undefined;

  constructor(
    verbose: Verbosity,
    private readonly epochs: number,
    private readonly output: ProgressOutput = process.stdout,
  ) {
    this.verbose = verbose === 'auto' ? 1 : verbose;
    this.live = this.verbose === 1 && output.isTTY === true;
  }

  epochBegin(epoch: number): void {
    this.started = performance.now();
    this.lastDraw = 0;
    if (this.verbose !== 0 && this.epochs > 1) this.output.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  /** `steps` undefined: the epoch's size is not known. */
  batchEnd(step: number, given: number | undefined, logs: Readonly<Record<string, number>>): void {
    if (!this.live) return;
    const now = performance.now();
    const steps = given ?? (this.learned !== undefined && step <= this.learned ? this.learned : undefined);
    // Redraw at most 20 times a second, and always at the last step.
    if ((steps === undefined || step < steps) && now - this.lastDraw < 50) return;
    this.lastDraw = now;
    if (steps === undefined) {
      const seconds = (now - this.started) / 1000;
      this.output.write(
        `\r\u001b[2K${String(step).padStart(7)}/Unknown ${duration(seconds)} ${perStep(seconds / Math.max(1, step))}${format(logs)}`,
      );
      return;
    }
    const done = Math.floor((width * step) / steps);
    const bar =
      step >= steps
        ? '='.repeat(width)
        : `${'='.repeat(Math.max(0, done - 1))}>${'.'.repeat(width - Math.max(1, done))}`;
    const elapsed = (now - this.started) / 1000;
    const eta = step > 0 ? (elapsed / step) * (steps - step) : 0;
    const count = `${String(step).padStart(String(steps).length)}/${steps}`;
    this.output.write(`\r\u001b[2K${count} [${bar}] - ETA: ${duration(eta)}${format(logs)}`);
  }

  /** `steps`: the steps the epoch took. `known`: whether they were known before it began. */
  epochEnd(_epoch: number, steps: number, logs: Readonly<Record<string, number>>, known = true): void {
    if (!known && this.learned === undefined) this.learned = steps;
    if (this.verbose === 0) return;
    const seconds = (performance.now() - this.started) / 1000;
    const step = perStep(seconds / Math.max(1, steps));
    if (this.live)
      this.output.write(
        `\r\u001b[2K${steps}/${steps} [${'='.repeat(width)}] - ${duration(seconds)} ${step}${format(logs)}\n`,
      );
    else this.output.write(`${steps}/${steps} - ${Math.round(seconds)}s - ${step}${format(logs)}\n`);
  }
}
