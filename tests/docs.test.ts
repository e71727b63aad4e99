// The documentation cannot drift: the compile-errors page is what its generator writes from the corpus today,
// and the getting-started page's code compiles against the public API and is the code of examples/cnn.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, renderPage } from '../scripts/compile-errors.ts';
import { check, root, virtualHost } from './helpers/compiler.ts';

const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('docs/compile-errors.md', () => {
  it('is current (npm run docs:errors), with every case of the corpus under a kind', () => {
    expect(read('docs/compile-errors.md')).toBe(renderPage());
    const page = read('docs/compile-errors.md');
    for (const { message } of corpus()) expect(page).toContain(`> ${message}\n`);
  });
});

describe('docs/getting-started.md', () => {
  const page = read('docs/getting-started.md');
  const blocks = [...page.matchAll(/```ts\n([^`]*)```/g)].map((match) => match[1] ?? '');
  /** The code in the second column of the tables: `cell` segments. */
  const tableCode = (heading: string) => {
    const section = page.slice(page.indexOf(heading), page.indexOf('\n## ', page.indexOf(heading) + 1));
    return section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split(' | ')[1] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''));
  };

  it("ports examples/cnn.ts line for line: the file shown and the table's right column are its lines", () => {
    const example = read('examples/cnn.ts');
    const [file] = blocks;
    expect(file).toBeDefined();
    const lines = (file ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('import'));
    expect(lines).toHaveLength(11);
    for (const line of lines) expect(example).toContain(line);
    const table = tableCode('## The model, line for line').filter((code) => code.startsWith('const '));
    expect(table).toHaveLength(11);
    for (const code of table) expect(example).toContain(`export ${code}`);
  });

  it('its code compiles against the public API, and its compile error is the compiler’s sentence', () => {
    const training = tableCode('## Training')
      .filter((code) => code !== 'keras.models.load_model')
      .map((code) => (code.endsWith(';') ? code : `${code};`));
    const file = join(root, '__getting_started.ts');
    const source = [
      "import * as tf from '@tensorflow/tfjs';",
      "import { loadModel, plotModel } from 'kerats';",
      blocks[0] ?? '',
      'declare const images: tf.Tensor;',
      'declare const labels: tf.Tensor;',
      'export async function run() {',
      ...training,
      '}',
      blocks[1] ?? '',
    ].join('\n');
    const { diagnostics } = check([file], virtualHost(new Map([[file, source]])));
    expect(diagnostics.map((diagnostic) => `${diagnostic.line}: ${diagnostic.text}`)).toEqual([]);
    expect(training.length).toBeGreaterThanOrEqual(8);
    const shown = /```\n(MaxPooling2D: .*)\n```/.exec(page)?.[1];
    expect(corpus().map(({ message }) => message)).toContain(shown);
  });
});

describe('docs/training.md', () => {
  const page = read('docs/training.md');
  const blocks = [...page.matchAll(/```ts\n([^`]*)```/g)].map((match) => match[1] ?? '');

  it('each code block compiles against the public API (its @ts-expect-error lines included)', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    const files = new Map(blocks.map((block, index) => [join(root, `__training_${index}.ts`), block]));
    const { diagnostics } = check([...files.keys()], virtualHost(files));
    expect(diagnostics.map((diagnostic) => `${diagnostic.line}: ${diagnostic.text}`)).toEqual([]);
  });
});

describe('docs/sequential.md', () => {
  const page = read('docs/sequential.md');
  const blocks = [...page.matchAll(/```ts\n([^`]*)```/g)].map((match) => match[1] ?? '');

  it('each code block compiles against the public API, and its @ts-expect-error is the corpus sentence', () => {
    expect(blocks).toHaveLength(3);
    const files = new Map(blocks.map((block, index) => [join(root, `__sequential_${index}.ts`), block]));
    const { diagnostics } = check([...files.keys()], virtualHost(files));
    expect(diagnostics.map((diagnostic) => `${diagnostic.line}: ${diagnostic.text}`)).toEqual([]);
    const expected = /@ts-expect-error (.*)/.exec(blocks[2] ?? '')?.[1];
    expect(corpus().map(({ message }) => message)).toContain(expected);
  });
});

describe('docs/custom-layers.md', () => {
  const page = read('docs/custom-layers.md');
  const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const example = read('examples/custom-layers.ts');

  it('shows examples/custom-layers.ts: its imports, CustomDense and Sampling, as tested', () => {
    const [imports, customDense, , sampling] = blocks;
    for (const block of [imports, customDense, sampling]) {
      expect(block?.length).toBeGreaterThan(100);
      expect(example).toContain(block?.trimEnd());
    }
  });

  it('its code compiles against the public API, and the compile error shown is the compiler’s sentence', () => {
    const file = join(root, '__custom_layers.ts');
    const header = "import { Dense, Flatten, Input, Lambda, loadModel, Model } from 'kerats';";
    const source = [header, ...blocks].join('\n');
    const wrong = 'CustomDense(4)(Input([3, 4]));';
    const { diagnostics } = check([file], virtualHost(new Map([[file, `${source}\n${wrong}\n`]])));
    const errors = diagnostics.map((diagnostic) => diagnostic.text);
    expect(errors).toHaveLength(1);
    const shown = /```\n(CustomDense: .*)\n```/.exec(page)?.[1];
    expect(shown).toBeDefined();
    expect(errors[0]).toContain(`'"${shown}"'`);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
  });
});
