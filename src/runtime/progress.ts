// Training progress as Keras shows it. On a terminal (verbose 1) a bar per epoch, refreshed in place:
//    Epoch 2/5
//    12/32 [========>.....................] - ETA: 3s - loss: 0.6931 - accuracy: 0.5000
// Off a terminal, or with verbose 2, one line per epoch. Nothing with verbose 0.

export type Verbosity = 0 | 1 | 2;

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
}

const width = 30;

function format(logs: Readonly<Record<string, number>>): string {
  return Object.entries(logs)
    .map(([name, value]) => ` - ${name}: ${value.toFixed(4)}`)
    .join('');
}

function duration(seconds: number): string {
  if (seconds >= 3600)
    return `${Math.floor(seconds / 3600)}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
  return `${Math.round(seconds)}s`;
}

export class Progress {
  private readonly live: boolean;
  private started = 0;
  private lastDraw = 0;

  constructor(
    private readonly verbose: Verbosity,
    private readonly epochs: number,
    private readonly output: ProgressOutput = process.stdout,
  ) {
    this.live = verbose === 1 && output.isTTY === true;
  }

  epochBegin(epoch: number): void {
    this.started = performance.now();
    this.lastDraw = 0;
    if (this.live) this.output.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  batchEnd(step: number, steps: number, logs: Readonly<Record<string, number>>): void {
    if (!this.live) return;
    const now = performance.now();
    // Redraw at most 20 times a second, and always at the last step.
    if (step < steps && now - this.lastDraw < 50) return;
    this.lastDraw = now;
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

  epochEnd(epoch: number, steps: number, logs: Readonly<Record<string, number>>): void {
    if (this.verbose === 0) return;
    const seconds = (performance.now() - this.started) / 1000;
    const timing = `${duration(seconds)} ${Math.round((seconds * 1000) / Math.max(1, steps))}ms/step`;
    if (this.live)
      this.output.write(`\r\u001b[2K${steps}/${steps} [${'='.repeat(width)}] - ${timing}${format(logs)}\n`);
    else this.output.write(`Epoch ${epoch + 1}/${this.epochs} - ${steps}/${steps} - ${timing}${format(logs)}\n`);
  }
}
