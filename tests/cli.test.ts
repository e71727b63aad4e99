// The `kerats` command as a user runs it: a spawned process on real files, its exit code, what it prints, and
// the files it writes (SVG read as text, PNG decoded to check that each layer's name is drawn where the SVG
// puts it).
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { root, ts } from './helpers/compiler.ts';

const main = join(root, 'dist', 'src', 'cli', 'main.js');
// Inside the repository (so its tsconfig.json and 'kerats' apply), in the git-ignored tmp/.
mkdirSync(join(root, 'tmp'), { recursive: true });
const work = mkdtempSync(join(root, 'tmp', 'cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function kerats(args: readonly string[], options: { readonly cwd?: string } = {}): Promise<Result> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: options.cwd ?? root,
      env: { ...process.env, KERATS_BACKEND: 'auto' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function file(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('help and usage mistakes', () => {
  it('--help on the command and on every subcommand, exit 0', async () => {
    const top = await kerats(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['summary', 'plot', 'train', 'backends']) expect(top.stdout).toContain(`  ${command} `);
    for (const command of ['summary', 'plot', 'train', 'backends']) {
      const help = await kerats([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: kerats ${command}`));
      expect(help.stdout).toContain('--help');
    }
    expect((await kerats(['train', '-h'])).stdout).toContain('--validation-split <f>');
  });

  it('usage mistakes are one line on stderr and exit 2', async () => {
    const cases: [readonly string[], string][] = [
      [[], ''],
      [['frob'], "kerats: unknown command 'frob' (commands: summary, plot, train, backends; see 'kerats --help')"],
      [['summary'], "kerats summary: missing <file> (see 'kerats summary --help')"],
      [['plot', 'examples/cnn.ts'], "kerats plot: missing -o <file.svg|file.png> (see 'kerats plot --help')"],
      [
        ['plot', 'examples/cnn.ts', '-o', 'cnn.jpg'],
        "kerats plot: cannot write 'cnn.jpg': the file name must end in .svg or .png",
      ],
      [
        ['plot', 'examples/cnn.ts', '-o', 'cnn.svg', '--rankdir', 'BT'],
        "kerats plot: --rankdir must be TB or LR, got 'BT'",
      ],
      [
        ['train', 'examples/mlp.ts', '--epochs', '0'],
        "kerats train: --epochs must be a whole number of at least 1, got '0'",
      ],
      [
        ['train', 'examples/mlp.ts', '--validation-split', '1'],
        "kerats train: --validation-split must be a number in [0, 1), got '1'",
      ],
      [
        ['train', 'examples/mlp.ts', '--backend', 'tpu'],
        "kerats train: --backend must be one of auto, gpu, native, wasm, cpu; got 'tpu'",
      ],
      [
        ['summary', 'examples/cnn.ts', '--frob'],
        "kerats summary: Unknown option '--frob' (see 'kerats summary --help')",
      ],
      [['backends', 'extra'], "kerats backends: unexpected argument 'extra' (see 'kerats backends --help')"],
    ];
    for (const [args, message] of cases) {
      const result = await kerats(args);
      expect(result.code, args.join(' ')).toBe(2);
      if (message === '') expect(result.stdout).toMatch(/^Usage: kerats <command>/);
      else expect(result.stderr).toBe(`${message}\n`);
    }
  });
});

describe('kerats summary', () => {
  it('stops quietly when the reader of its output has gone (kerats summary x.ts | head)', () => {
    // `true` exits before kerats has written anything, so every write meets a closed pipe.
    const command = `set -o pipefail; "${process.execPath}" "${main}" summary examples/cnn.ts --no-check | true`;
    const result = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("prints each example's Keras summary, with Keras's parameter counts", async () => {
    const totals: [string, string][] = [
      ['mlp', '771'],
      ['cnn', '610,570'],
      ['rnn', '1,331,521'],
      ['bilstm', '1,380,106'],
      ['shared-input', '453,642'],
      ['shared-feature-extraction', '33,802'],
      ['multiple-inputs', '86,793'],
      ['multiple-outputs', '1,452'],
    ];
    for (const [example, total] of totals) {
      const result = await kerats(['summary', `examples/${example}.ts`]);
      expect(result.code, example).toBe(0);
      expect(result.stdout).toMatch(/^Model: "model"\n/);
      expect(result.stdout).toContain(`\nTotal params: ${total}\n`);
    }
  });

  it('summarizes every model a file exports, or the one asked for', async () => {
    const path = file(
      'two.ts',
      [
        "import { Dense, Input, Model } from 'kerats';",
        'const x = Input([4]);',
        "export const encoder = Model({ inputs: x, outputs: Dense(2)(x), name: 'encoder' });",
        'const y = Input([4]);',
        "export const classifier = Model({ inputs: y, outputs: Dense(3)(y), name: 'classifier' });",
        'export const notAModel = 3;',
      ].join('\n'),
    );
    const both = await kerats(['summary', path]);
    expect(both.code).toBe(0);
    expect(both.stdout).toMatch(
      /^export classifier:\nModel: "classifier"\n[\s\S]*\n\nexport encoder:\nModel: "encoder"\n/,
    );
    const one = await kerats(['summary', path, '--model', 'classifier']);
    expect(one.stdout).toMatch(/^export classifier:\nModel: "classifier"\n/);
    expect(one.stdout).not.toContain('encoder');
    const wrong = await kerats(['summary', path, '--model', 'decoder']);
    expect([wrong.code, wrong.stderr]).toEqual([
      1,
      `kerats summary: ${path} exports no model named 'decoder'; its models: classifier, encoder\n`,
    ]);
    const plot = await kerats(['plot', path, '-o', join(work, 'two.svg')]);
    expect([plot.code, plot.stderr]).toEqual([
      1,
      `kerats plot: ${path} exports 2 models (classifier, encoder); choose one with --model <name>\n`,
    ]);
  });

  it("a file that does not type-check: the compiler's message, exit 1, nothing left behind", async () => {
    const path = file(
      'wrong-rank.ts',
      [
        "import { Dense, Input, LSTM, Model } from 'kerats';",
        'const x = Input([32]);',
        'const h = LSTM(8)(x);',
        'export const model = Model({ inputs: x, outputs: Dense(1)(h) });',
      ].join('\n'),
    );
    const result = await kerats(['summary', path]);
    expect(result.code).toBe(1);
    const [first, second, ...rest] = lines(result.stderr);
    expect(first).toBe(`kerats summary: ${path} does not type-check (1 error):`);
    expect(second).toContain('wrong-rank.ts(3,19): error TS2345:');
    // The sentence is the compiler's elaboration of the parameter type (LayerInput), on the next line.
    expect(rest).toHaveLength(1);
    expect(rest[0]).toContain('LSTM: expects input of rank 2 [steps, features], got [32] (rank 1)');
    expect(result.stdout).toBe('');
    // The one-file configuration written for the check is gone.
    expect(readdirSync(root).filter((name) => name.startsWith('.kerats-check-'))).toEqual([]);
    // Without the check, the same mistake is the runtime's sentence, in one line.
    const unchecked = await kerats(['summary', path, '--no-check']);
    expect([unchecked.code, lines(unchecked.stderr)]).toEqual([
      1,
      [
        `kerats summary: cannot load ${path}: LSTM: expects input of rank 2 [steps, features], got [32] (rank 1); Reshape to [steps, 1] first, or an Embedding for token ids?`,
      ],
    ]);
  });

  it('killed during the type check, it leaves no configuration behind', async () => {
    const project = mkdtempSync(join(work, 'killed-'));
    writeFileSync(join(project, 'tsconfig.json'), readFileSync(join(root, 'tsconfig.json')));
    const path = join(project, 'model.ts');
    writeFileSync(path, readFileSync(join(root, 'examples', 'mlp.ts')));
    const child = spawn(process.execPath, [main, 'summary', path], { cwd: root, stdio: 'ignore' });
    const checking = () => readdirSync(project).filter((name) => name.startsWith('.kerats-check-'));
    for (let waited = 0; checking().length === 0 && waited < 20_000; waited += 10)
      await new Promise((wake) => setTimeout(wake, 10));
    expect(checking()).toHaveLength(1);
    child.kill('SIGTERM');
    const signal = await new Promise((done) => child.on('close', (_code, received) => done(received)));
    expect(signal).toBe('SIGTERM');
    expect(checking()).toEqual([]);
  });

  it('a file that exports no model, and a file that does not exist: one line, exit 1', async () => {
    const none = await kerats(['summary', 'examples/synthetic.ts']);
    expect([none.code, none.stderr]).toEqual([
      1,
      'kerats summary: examples/synthetic.ts exports no model (its exports: binaryLabels, classLabels, oneHot, patchImages); export one, as in `export const model = Model({ inputs, outputs })`\n',
    ]);
    const missing = await kerats(['summary', 'examples/nope.ts']);
    expect([missing.code, missing.stderr]).toEqual([1, 'kerats summary: cannot load examples/nope.ts: no such file\n']);
  });

  it('a model of another copy of kerats (imported by path) is named as such', async () => {
    const path = file(
      'by-path.ts',
      "import { Dense, Input, Model } from '../../src/index.ts';\nconst x = Input([2]);\nexport const model = Model({ inputs: x, outputs: Dense(1)(x) });\n",
    );
    const result = await kerats(['summary', path]);
    expect([result.code, result.stderr]).toEqual([
      1,
      `kerats summary: ${path}: 'model' is a model of another copy of kerats; import the layers from 'kerats' (not from a path) so that the command can use them\n`,
    ]);
  });

  it('works in a project that installs kerats as a package, with no tsconfig.json', async () => {
    const project = mkdtempSync(join(tmpdir(), 'kerats-user-'));
    try {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(root, join(project, 'node_modules', 'kerats'), 'dir');
      writeFileSync(join(project, 'package.json'), '{ "type": "module" }');
      writeFileSync(
        join(project, 'model.ts'),
        "import { Dense, Input, Model } from 'kerats';\nconst x = Input([8]);\nexport const model = Model({ inputs: x, outputs: Dense(4)(x) });\n",
      );
      const good = await kerats(['summary', 'model.ts'], { cwd: project });
      expect(good.stderr).toBe('');
      expect(good.stdout).toContain('Total params: 36\n');
      writeFileSync(
        join(project, 'bad.ts'),
        "import { Concatenate, Input } from 'kerats';\nexport const merged = Concatenate()([Input([8, 2]), Input([7, 2])]);\n",
      );
      const bad = await kerats(['summary', 'bad.ts'], { cwd: project });
      expect(bad.code).toBe(1);
      expect(lines(bad.stderr)[0]).toBe('kerats summary: bad.ts does not type-check (1 error):');
      expect(lines(bad.stderr)[1]).toMatch(/^bad\.ts\(2,\d+\): error TS\d+: .*Concatenate/);
      expect(readdirSync(project).filter((name) => name.startsWith('.kerats-check-'))).toEqual([]);
      // The declarations a user's editor loads for kerats: none of the drawing libraries' (vega-lite's alone are
      // 140 files), which the command loads only when it draws.
      const program = ts.createProgram([join(project, 'model.ts')], {
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        types: [],
      });
      const loaded = program.getSourceFiles().map((source) => source.fileName);
      expect(loaded.some((name) => name.includes('/dist/src/index.d.ts'))).toBe(true);
      expect(loaded.filter((name) => /\/node_modules\/(vega|@viz-js|@resvg|tsx)/.test(name))).toEqual([]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

/** Where each text of the SVG is drawn: its string and its point, in the SVG's user units after the graph's translate. */
function svgTexts(svg: string): { text: string; x: number; y: number }[] {
  const translate = /class="graph" transform="[^"]*translate\(([\d.-]+) ([\d.-]+)\)"/.exec(svg);
  const [dx, dy] = [Number(translate?.[1] ?? 0), Number(translate?.[2] ?? 0)];
  return [...svg.matchAll(/<text[^>]* x="([\d.-]+)" y="([\d.-]+)"[^>]*>([^<]*)<\/text>/g)].map((match) => ({
    x: Number(match[1]) + dx,
    y: Number(match[2]) + dy,
    text: match[3] ?? '',
  }));
}

describe('kerats plot', () => {
  // A fresh process names the layers from scratch, as Keras does.
  const layers = ['input_1', 'lstm', 'lstm_1', 'dense', 'dense_1', 'time_distributed'];

  it('writes the SVG: a box per layer with its name, class and shapes, an edge per connection', async () => {
    const output = join(work, 'multiple-outputs.svg');
    const result = await kerats(['plot', 'examples/multiple-outputs.ts', '-o', output]);
    expect([result.code, result.stdout]).toEqual([0, `wrote ${output} (6 layers of model 'model')\n`]);
    const svg = readFileSync(output, 'utf8');
    const texts = svgTexts(svg).map(({ text }) => text);
    for (const name of layers) expect(texts).toContain(name);
    for (const className of ['InputLayer', 'LSTM', 'Dense', 'TimeDistributed'])
      expect(texts).toContain(` (${className})`);
    for (const shape of ['(None, 100, 1)', '(None, 100, 10)', '(None, 10)', '(None, 1)'])
      expect(texts).toContain(shape);
    expect(svg.match(/class="node"/g)).toHaveLength(6);
    // input -> lstm, lstm -> lstm_1, lstm -> time_distributed, lstm_1 -> dense, dense -> dense_1.
    expect(svg.match(/class="edge"/g)).toHaveLength(5);
  });

  it('writes a PNG in which each layer name is drawn where the SVG puts it', async () => {
    const svgPath = join(work, 'cnn.svg');
    const pngPath = join(work, 'cnn.png');
    expect((await kerats(['plot', 'examples/cnn.ts', '-o', svgPath])).code).toBe(0);
    expect((await kerats(['plot', 'examples/cnn.ts', '-o', pngPath])).code).toBe(0);
    const png = PNG.sync.read(readFileSync(pngPath));
    const svg = readFileSync(svgPath, 'utf8');
    const viewBox = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg);
    const scale = png.width / Number(viewBox?.[3]);
    expect(png.height / Number(viewBox?.[4])).toBeCloseTo(scale, 1);
    const dark = (x0: number, y0: number, x1: number, y1: number) => {
      let count = 0;
      for (let y = Math.round(y0 * scale); y < Math.round(y1 * scale); y++)
        for (let x = Math.round(x0 * scale); x < Math.round(x1 * scale); x++) {
          const at = (y * png.width + x) * 4;
          if ((png.data[at] ?? 255) + (png.data[at + 1] ?? 255) + (png.data[at + 2] ?? 255) < 3 * 100) count++;
        }
      return count;
    };
    const names = ['input_1', 'conv2d', 'max_pooling2d', 'flatten', 'dense', 'dense_1'];
    for (const name of names) {
      const placed = svgTexts(svg).find(({ text }) => text === name);
      expect(placed, name).toBeDefined();
      if (placed === undefined) continue;
      // The glyphs sit above the baseline, right of the start: ink there, and none in the same box above the text.
      expect(dark(placed.x, placed.y - 8, placed.x + 5 * name.length, placed.y), name).toBeGreaterThan(20);
    }
    // A blank area (the margin) has no ink.
    expect(dark(0, 0, 3, 3)).toBe(0);
  });
});

describe('kerats train', () => {
  it('trains with one line per epoch off a terminal, draws the curves, and saves', async () => {
    const plot = join(work, 'history.svg');
    const saved = join(work, 'mlp-saved');
    const result = await kerats([
      'train',
      'examples/mlp.ts',
      '--epochs',
      '3',
      '--samples',
      '256',
      '--plot',
      plot,
      '--save',
      saved,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toBe("training 'model' (model 'model') on the 'wasm' backend (TensorFlow.js 'wasm')");
    // Keras's verbose-2 form: an `Epoch n/N` line, then one line for the epoch (values below 1e-3 as 1.2345e-4).
    const value = '\\d+\\.\\d{4}(?:e[+-]\\d+)?';
    for (const epoch of [1, 2, 3]) {
      expect(out[2 * epoch - 1]).toBe(`Epoch ${epoch}/3`);
      expect(out[2 * epoch]).toMatch(
        new RegExp(`^7/7 - .* - loss: ${value} - accuracy: ${value} - val_loss: ${value} - val_accuracy: ${value}$`),
      );
    }
    expect(out.slice(7)).toEqual([`saved to ${saved}`, `wrote ${plot}`]);
    const svg = readFileSync(plot, 'utf8');
    for (const text of ['>loss<', '>accuracy<', '>training<', '>validation<', '>epoch<', 'examples/mlp.ts: model'])
      expect(svg).toContain(text);
    // Two panels (loss, accuracy) of two lines (training, validation) of three points.
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(4);
    expect(svg.match(/aria-roledescription="point"/g)).toHaveLength(12);
    expect(existsSync(join(saved, 'model.json'))).toBe(true);
    const png = join(work, 'history.png');
    const again = await kerats(['train', 'examples/mlp.ts', '--samples', '64', '--verbose', '0', '--plot', png]);
    expect(again.code).toBe(0);
    expect(lines(again.stdout)[1]).toMatch(
      /^after 1 epochs: loss \d\.\d{4}, accuracy [\d.]+, val_loss [\d.]+, val_accuracy [\d.]+$/,
    );
    expect(PNG.sync.read(readFileSync(png)).width).toBeGreaterThan(500);
  });

  it('a --plot or --save it cannot write is refused before training; a drawing that fails loses no training', async () => {
    const saved = join(work, 'kept');
    const nowhere = join(work, 'no-such-folder', 'history.svg');
    const early = await kerats(['train', 'examples/mlp.ts', '--samples', '64', '--plot', nowhere, '--save', saved]);
    expect(early.code).toBe(2);
    expect(early.stderr).toBe(
      `kerats train: --plot ${nowhere}: the folder ${join(work, 'no-such-folder')} does not exist\n`,
    );
    expect(early.stdout).toBe('');
    const notAFolder = file('plain-file', 'x');
    const badSave = await kerats(['train', 'examples/mlp.ts', '--save', notAFolder]);
    expect(badSave.stderr).toBe(`kerats train: --save ${notAFolder}: ${notAFolder} is not a folder\n`);
    // A name that is a folder passes the early check and fails only when drawn: the model is saved by then.
    const folderNamedSvg = join(work, 'drawing.svg');
    mkdirSync(folderNamedSvg);
    const late = await kerats([
      'train',
      'examples/mlp.ts',
      '--samples',
      '64',
      '--verbose',
      '0',
      '--plot',
      folderNamedSvg,
      '--save',
      saved,
    ]);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(`saved to ${saved}`);
    expect(existsSync(join(saved, 'model.json'))).toBe(true);
  });

  it('a file without data or training says what to export, in one line', async () => {
    const base = [
      "import { Dense, Input, Model } from 'kerats';",
      'const x = Input([2]);',
      'export const model = Model({ inputs: x, outputs: Dense(1)(x) });',
    ];
    const noTraining = file('no-training.ts', [...base, 'export const data = { x: [[1, 2]], y: [[1]] };'].join('\n'));
    const result = await kerats(['train', noTraining]);
    expect([result.code, result.stderr]).toEqual([
      1,
      `kerats train: ${noTraining} must export \`training\`: the arguments of model.compile, { optimizer, loss, metrics? } (or compile the model in the file); got nothing\n`,
    ]);
    const badData = file(
      'bad-data.ts',
      [
        ...base,
        "export const training = { optimizer: 'sgd', loss: 'meanSquaredError' } as const;",
        'export const data = (n: number) => n;',
      ].join('\n'),
    );
    const bad = await kerats(['train', badData]);
    expect([bad.code, bad.stderr]).toEqual([
      1,
      `kerats train: ${badData} must export \`data\`: a function (samples) => ({ x, y }), or an object { x, y }; got a function that returned 1024\n`,
    ]);
    const wrongShape = file(
      'wrong-shape.ts',
      [
        ...base,
        "export const training = { optimizer: 'sgd', loss: 'meanSquaredError' } as const;",
        'export const data = { x: [[1, 2, 3]], y: [[1]] };',
      ].join('\n'),
    );
    const shape = await kerats(['train', wrongShape]);
    expect(shape.code).toBe(1);
    expect(shape.stderr).toBe("kerats train: fit: input 'input_1' expects [batch, 2] float32, got [1, 3]\n");
  });

  it('asking for a backend that is not installed says how to get it', async () => {
    const result = await kerats(['train', 'examples/mlp.ts', '--backend', 'gpu']);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toContain('CUDA 11.2 and cuDNN 8.1');
  });
});

describe('kerats backends', () => {
  it('says which backends load here, why the others do not and how to get them, and what auto picks', async () => {
    const result = await kerats(['backends']);
    expect(result.code).toBe(0);
    const out = lines(result.stdout);
    expect(out[0]).toMatch(
      /^gpu {5}no {3}backend 'gpu' is not available: .*CUDA 11\.2 and cuDNN 8\.1.*needs internet access/,
    );
    expect(out[1]).toMatch(/^native {2}no {3}.*Install @tensorflow\/tfjs-node@4\.22\.0/);
    expect(out[2]).toBe("wasm    yes  loads (TensorFlow.js backend 'wasm')");
    expect(out[3]).toBe("cpu     yes  loads (TensorFlow.js backend 'cpu')");
    expect(out[4]).toBe('auto picks: wasm');
  });
});
