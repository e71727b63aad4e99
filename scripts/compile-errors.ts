// npm run docs:errors: writes docs/compile-errors.md, the page of the compile errors a user meets, from the
// must-not-compile corpus (type-tests/must-not-compile.test-d.ts): every case appears under the kind of
// mistake it is, with its code and the compiler's exact sentence. tests/docs.test.ts checks the page is
// current and that every case has a kind, so the page cannot drift from what the compiler says.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-5';

interface Kind {
  readonly title: string;
  readonly pattern: RegExp;
  /** What the message means and what to do; markdown. */
  readonly meaning: string;
}

const kinds: readonly Kind[] = [
  {
    title: 'Wrong rank: "expects input of rank N"',
    pattern: /expects input of rank/,
    meaning:
      'The layer was given a tensor with the wrong number of axes. Shapes never count the batch axis, as in `Input(shape=...)`: an LSTM reads `[steps, features]`, a Conv2D `[height, width, channels]`, a Dense `[..., features]`. The hint names the usual fix: a Reshape, an Embedding for token ids, a Flatten before a Dense, TimeDistributed around a layer that should run per step.',
  },
  {
    title: 'A kernel or pool larger than its input: "spans N steps on axis A"',
    pattern: /spans \d+ steps on axis/,
    meaning:
      "With `padding: 'valid'` (the default) a window must fit inside the input: a kernel of size k with dilation d spans d * (k - 1) + 1 steps. Usually the input has been pooled too often for its size. Use `padding: 'same'`, a smaller kernel or pool, or fewer pooling layers.",
  },
  {
    title: 'A crop larger than its input: "leaves nothing of the input"',
    pattern: /leaves nothing of the input/,
    meaning:
      'Cropping1D and Cropping2D cut steps off both ends of each spatial axis; together they must leave at least one, as Keras requires. The message gives the total cut from the axis and its size.',
  },
  {
    title: 'Shapes that must agree do not: "inputs disagree on axis A"',
    pattern: /disagree on axis/,
    meaning:
      'Concatenate joins tensors along one axis (the last by default) and needs every other axis equal; Add, Multiply and Average need equal shapes. The message names the first axis that differs and both shapes. Flatten (or GlobalAveragePooling2D) the inputs first when they come from convolutions of different sizes.',
  },
  {
    title: 'Merging tensors of different ranks: "inputs disagree in rank"',
    pattern: /disagree in rank/,
    meaning:
      'The inputs of a merge layer have different numbers of axes. Flatten or Reshape them to a common rank first.',
  },
  {
    title: 'An axis that does not exist: "axis A does not exist for inputs of rank R"',
    pattern: /does not exist for inputs of rank/,
    meaning:
      'Axes count from 1 (axis 0 is the batch) or from -1 backwards, as in Keras. The message lists the valid ones for the input.',
  },
  {
    title: 'Too few inputs for a merge: "expects at least 2 inputs"',
    pattern: /expects at least \d+ inputs/,
    meaning: 'Concatenate, Add, Multiply and Average merge two tensors or more; with one there is nothing to merge.',
  },
  {
    title: 'A size that must be known: "axis A of the input must be known"',
    pattern: /must be known/,
    meaning:
      'Some sizes set the number of weights (the last axis of a Dense or Conv input) or the output size (every axis of a Flatten). An axis declared `null` in `Input` cannot do that; give its size.',
  },
  {
    title: 'Float ids into an Embedding: "expects int32 input"',
    pattern: /expects int32 input/,
    meaning:
      "An Embedding looks up rows by integer id; tfjs would silently truncate floats. Declare the ids as `Input(shape, { dtype: 'int32' })`.",
  },
  {
    title: 'A Reshape that changes the number of elements: "cannot reshape"',
    pattern: /cannot reshape/,
    meaning:
      'The target shape must hold as many elements as the input (with -1, a multiple of the other sizes). The message gives both counts.',
  },
  {
    title: 'Sizes too large to count exactly: "more than 2^53 - 1 elements"',
    pattern: /more than 2\^53 - 1 elements/,
    meaning:
      'kerats computes sizes exactly; past 2^53 - 1 a JavaScript number is no longer exact, and no such tensor fits in memory anyway.',
  },
  {
    title: 'An output that depends on an input the model does not list: "not in inputs"',
    pattern: /depend on input .* not in inputs/,
    meaning:
      "The model's outputs are computed from a named Input missing from `Model({ inputs })`: training would fail for want of its data. Add it to `inputs`. (Unnamed Inputs are invisible to the compiler and are checked when the model is built.)",
  },
  {
    title: 'A model called on tensors unlike its inputs: "input N expects ..., got ..."',
    pattern: /call it on tensors like its Inputs|expects \d+ inputs, got \d+$/,
    meaning:
      "A model is called like a layer (`encoder(image)`) on tensors like its Inputs: the same rank and dtype, and each size equal (`null`, in the model's Input or in the tensor, matches any size). The message names the model by its `name` and says which input does not fit; a model with several inputs takes a list of as many tensors.",
  },
  {
    title: 'Initial states that do not fit a recurrent layer: "initialState must be"',
    pattern: /initialState(\[\d+\])? must be/,
    meaning:
      "`LSTM(units)(x, { initialState })` takes one `[units]` float32 tensor per state (LSTM's h and c, GRU's and SimpleRNN's h), as Keras's `initial_state`. The message names the state that does not fit; a state computed by another layer with `returnState: true` has the right shape when both layers have the same `units`. ConvLSTM2D's states h and c are `[rows', cols', filters]`, the shape of its output without `returnSequences`: they fit when both layers have the same filters and their convolutions give the same rows and cols.",
  },
  {
    title: 'An input listed twice: "appears more than once"',
    pattern: /appears more than once/,
    meaning:
      '`Model({ inputs })` lists the same named Input twice: the model would need its data twice. List each input once. (Two unnamed Inputs look alike to the compiler, so listing one of them twice is caught when the model is built, with the same sentence; so are two Inputs given one name.)',
  },
  {
    title: 'An Embedding inputLength that is not the input\'s: "inputLength must be N"',
    pattern: /inputLength must be/,
    meaning:
      "Keras 2's `input_length` is the length of the id sequences (Keras 3 deprecates it and ignores it). kerats accepts it and checks it against the last axis of the input; remove it, or make it the input's length.",
  },
  {
    title: 'An odd last axis for glu: "splits the last axis in two halves"',
    pattern: /splits the last axis in two halves/,
    meaning:
      "Keras's gated linear unit (`Activation('glu')`) splits the last axis into halves a and b and gives a * sigmoid(b), so its output has half the features and the axis must be even. Give the layer before it an even number of units or filters. It is taken by the Activation layer only, not by a layer's `activation` option, because it changes the shape.",
  },
  {
    title: 'A Sequential element that is not one layer in, one tensor out: "Sequential: layers[N] ..."',
    pattern: /^Sequential: layers\[\d+\]/,
    meaning:
      "Each element of `Sequential([...])` after the optional first Input is called on the tensor the element before it gives: a layer with one input, a model with one input and one output, or another Sequential. A recurrent layer with `returnState` gives several tensors; write that part with the functional API. A wrong shape inside the list is reported at the element with the layer's own sentence (the other kinds on this page).",
  },
  {
    title: 'Invalid options: "must be a positive integer", "must be a recurrent layer", ...',
    pattern: /must be (a|an|positive|non-negative|one of)\b/,
    meaning:
      'Options that can be seen to be wrong where they are written (literal numbers, layer kinds, a misspelt initializer or constraint name) are refused by the compiler; options known only at run time get the same sentence as a runtime error. Initializers and constraints take the names Keras 3 does, in camelCase or snake_case, or `{ className, config }`.',
  },
  {
    title: 'Options that exclude each other: "cannot both exceed 1", "do not fit"',
    pattern: /cannot both exceed 1|do not fit:/,
    meaning:
      "A convolution steps with strides above 1 or spreads its kernel with a dilation above 1, not both: Keras refuses the layer, and tfjs would fail when it runs. The error is at `dilationRate`; set one of the two to 1. A transposed convolution's `outputPadding` adds rows and columns within one stride, so it must be smaller than the strides on every axis.",
  },
];

interface Case {
  readonly message: string;
  readonly code: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The indentation of the block's statements, to take off. */
function indentOf(statements: ts.NodeArray<ts.Statement>): number {
  const [first] = statements;
  if (first === undefined) return 0;
  const source = first.getSourceFile();
  return source.getLineAndCharacterOfPosition(first.getStart(source)).character;
}

/** The corpus' cases: the message and the code, with the `expectError` wrappers taken off. */
export function corpus(): Case[] {
  const path = join(root, 'type-tests', 'must-not-compile.test-d.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
  const cases: Case[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'mustNotCompile') {
      const [message, run] = node.arguments;
      if (message && ts.isStringLiteral(message) && run && ts.isArrowFunction(run)) {
        const body = run.body;
        // Block bodies keep their comments; both lose the expectError wrapper and one level of indentation.
        const text = ts.isBlock(body)
          ? body.statements
              .map((statement) =>
                statement
                  .getFullText(source)
                  .replace(/^\s*\n/, '')
                  .trimEnd(),
              )
              .join('\n')
              .replace(new RegExp(`^ {${indentOf(body.statements)}}`, 'gm'), '')
              .replace(/^return expectError\(([\s\S]*)\);$/m, '$1;')
          : `${body.getText(source).replace(/^expectError\(([\s\S]*)\)$/, '$1')};`;
        cases.push({ message: message.text, code: text });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return cases;
}

/** The page. Throws if a case of the corpus fits no kind, so that none is left unexplained. */
export function renderPage(): string {
  const cases = corpus();
  const unexplained = cases.filter((item) => !kinds.some((kind) => kind.pattern.test(item.message)));
  if (unexplained.length > 0)
    throw new Error(`no kind explains: ${unexplained.map((item) => `'${item.message}'`).join(', ')}`);
  const sections = kinds.map((kind) => {
    const mine = cases.filter((item) => kinds.find((candidate) => candidate.pattern.test(item.message)) === kind);
    const examples = mine.map((item) => ['```ts', item.code, '```', '', `> ${item.message}`].join('\n'));
    return [`## ${kind.title}`, '', kind.meaning, '', ...examples.flatMap((example) => [example, ''])].join('\n');
  });
  return [
    '# Compile errors',
    '',
    '<!-- Generated by `npm run docs:errors` from type-tests/must-not-compile.test-d.ts; edit scripts/compile-errors.ts. -->',
    '',
    `The mistakes kerats turns into compile errors, grouped by kind: what each message means, then every case of the`,
    `must-not-compile corpus (${cases.length} of them) with the code and the sentence the compiler shows. In an editor the`,
    'sentence is the error on the argument that is wrong; `tsc` prints it as',
    '',
    '```',
    'model.ts(4,19): error TS2345: Argument of type \'SymbolicTensor<[32], "float32", never>\' is not assignable to parameter of type \'"LSTM: expects input of rank 2 [steps, features], got [32] (rank 1); Reshape to [steps, 1] first, or an Embedding for token ids?"\'.',
    '```',
    '',
    'and `kerats summary model.ts` shows the same line. The same mistake made where the compiler cannot see it (sizes',
    'known only at run time, an unnamed Input) throws a KeratsError at the call with the same sentence.',
    '',
    ...sections,
    '## Checked when the model is built, not by the compiler',
    '',
    'A few mistakes depend on more than one call, which a type cannot follow, and throw a KeratsError where they are made:',
    '',
    "- A shared layer called on a shape its weights do not fit. A layer's weights are built by its first call; a later call must give inputs they fit (a Dense reads the last axis only, so `[16]` then `[10, 16]` is fine, `[16]` then `[8]` is not):",
    '',
    '  ```ts',
    '  const shared = Dense(32);',
    '  shared(Input([16]));',
    '  shared(Input([8]));',
    '  ```',
    '',
    "  > Dense 'dense': called on [8], but its weights were built by its first call, on [16]; a shared layer needs inputs its weights fit",
    '',
    '- An unnamed Input listed twice, or an unnamed Input the outputs depend on that `inputs` does not list (the sentences above).',
    '',
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(root, 'docs', 'compile-errors.md'), renderPage());
  console.log('wrote docs/compile-errors.md');
}
