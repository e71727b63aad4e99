// Every `@example <code> //=> <type>` in src/ is compiled: the code's type must be exactly the type shown, so the
// documentation cannot drift from the rules. `<code>` is a type (`DenseShape<[100, 128], 10>`) or an expression
// (`Dense(10)(Input([32]))`); either is checked in a file that sees the example's module and the public API.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, root, ts, virtualHost } from './helpers/compiler.ts';

interface Example {
  readonly file: string;
  readonly code: string;
  readonly expected: string;
}

const sources = (directory: string): string[] =>
  readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(directory, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(directory, entry.name)]
        : [],
  );

const examples: Example[] = sources(join(root, 'src')).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/@example (.+?) \/\/=> (.+?)(?: \*\/)?$/gm)].map((match) => ({
    file,
    code: match[1] ?? '',
    expected: match[2] ?? '',
  })),
);

/** The names a module exports, with whether each is a value. */
function exportsOf(program: ts.Program, file: string): Map<string, boolean> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  const names = new Map<string, boolean>();
  for (const symbol of module === undefined ? [] : checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    names.set(symbol.name, (target.flags & ts.SymbolFlags.Value) !== 0);
  }
  return names;
}

describe('documentation examples', () => {
  it(`${examples.length} examples, each compiled against what it claims`, () => {
    expect(examples.length).toBeGreaterThan(40);
    const index = join(root, 'src', 'index.ts');
    const helpers = ['dsl/layer.ts', 'dsl/recurrent.ts', 'dsl/layers/dense.ts', 'shapes/merge.ts'].map((path) =>
      join(root, 'src', path),
    );
    const files = [...new Set(examples.map((example) => example.file))];
    const { program } = check([index, ...files, ...helpers]);
    const virtual = new Map<string, string>();
    const lineOf = new Map<string, Example>();
    for (const [position, file] of files.entries()) {
      // One checking file per documented module, beside it, importing its exports first, then the public API.
      const imported = new Map<string, string>();
      for (const module of [file, index, ...helpers])
        for (const [name, isValue] of exportsOf(program, module))
          if (!imported.has(name))
            imported.set(
              name,
              `import ${isValue ? '' : 'type '}{ ${name} } from './${relative(dirname(file), module)}';`,
            );
      const checkFile = join(dirname(file), `__doc_examples_${position}.ts`);
      const lines = [
        ...imported.values(),
        'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;',
      ];
      for (const [number, example] of examples.filter((candidate) => candidate.file === file).entries()) {
        const isType = /^[A-Z]\w*</.test(example.code);
        lines.push(
          isType
            ? `export const example${number}: Equals<${example.code}, ${example.expected}> = true;`
            : `const value${number} = ${example.code}; export const example${number}: Equals<typeof value${number}, ${example.expected}> = true;`,
        );
        lineOf.set(`${checkFile}:${lines.length}`, example);
      }
      virtual.set(checkFile, lines.join('\n'));
    }
    const { diagnostics } = check([...virtual.keys()], virtualHost(virtual));
    const failures = diagnostics.map((diagnostic) => {
      const example = lineOf.get(`${diagnostic.file}:${diagnostic.line}`);
      return `${example ? `${relative(root, example.file)}: ${example.code} //=> ${example.expected}` : diagnostic.file}\n  ${diagnostic.text}`;
    });
    expect(failures).toEqual([]);
  });

  it('every public layer documents its shape rule with such an example, on the function users call', () => {
    const index = join(root, 'src', 'index.ts');
    const { program } = check([index]);
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(index);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    const layers = (module === undefined ? [] : checker.getExportsOfModule(module)).flatMap((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const file = declaration?.getSourceFile().fileName ?? '';
      return target.flags & ts.SymbolFlags.Function && file.includes('/src/dsl/layers/') ? [target] : [];
    });
    expect(layers.length).toBeGreaterThanOrEqual(23);
    const undocumented = layers
      .filter(
        (layer) =>
          !layer
            .getJsDocTags(checker)
            .some((tag) => tag.name === 'example' && ts.displayPartsToString(tag.text).includes('//=>')),
      )
      .map((layer) => layer.name);
    expect(undocumented).toEqual([]);
  });
});
