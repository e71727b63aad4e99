// Type-checks files with the TypeScript 5.9 compiler API (the stable API; 7.0's native compiler has none yet),
// with the project's own compiler options, and returns what a user's editor would show.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript-5';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.parseConfigFileTextToJson(configPath, readFileSync(configPath, 'utf8'));
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
}

export interface Diagnostic {
  readonly file: string;
  readonly start: number;
  readonly line: number;
  readonly text: string;
}

export interface Checked {
  readonly program: ts.Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** Type-checks `files` (absolute paths) and returns every diagnostic in them, messages flattened. */
export function check(files: readonly string[], host?: ts.CompilerHost): Checked {
  // Generated checking files import more than each uses: unused names are not what they test.
  const options = { ...compilerOptions(), noUnusedLocals: false, noUnusedParameters: false };
  const program = ts.createProgram({ rootNames: [...files], options, ...(host ? { host } : {}) });
  const diagnostics = ts.getPreEmitDiagnostics(program).flatMap((diagnostic): Diagnostic[] => {
    if (diagnostic.file === undefined || diagnostic.start === undefined) return [];
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return [
      {
        file: diagnostic.file.fileName,
        start: diagnostic.start,
        line: line + 1,
        text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      },
    ];
  });
  return { program, diagnostics };
}

/** A compiler host that serves `virtual` files from memory and everything else from disk. */
export function virtualHost(virtual: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(compilerOptions());
  const getSourceFile = host.getSourceFile.bind(host);
  return {
    ...host,
    fileExists: (file) => virtual.has(file) || host.fileExists(file),
    readFile: (file) => virtual.get(file) ?? host.readFile(file),
    getSourceFile: (file, language, onError, create) => {
      const text = virtual.get(file);
      return text === undefined
        ? getSourceFile(file, language, onError, create)
        : ts.createSourceFile(file, text, language, true);
    },
  };
}

export { ts };

/**
 * Type-checks one in-memory file (absolute path) and returns its own diagnostics only, not those of the files it
 * imports. With `previous`, the files that did not change are reused from that program, so checking many
 * batches of generated code parses kerats once.
 */
export function checkSource(file: string, text: string, previous?: ts.Program): Checked {
  const options = { ...compilerOptions(), noUnusedLocals: false, noUnusedParameters: false };
  const host = virtualHost(new Map([[file, text]]));
  const program = ts.createProgram({ rootNames: [file], options, host, ...(previous ? { oldProgram: previous } : {}) });
  const source = program.getSourceFile(file);
  const found =
    source === undefined ? [] : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  const diagnostics = found.flatMap((diagnostic): Diagnostic[] => {
    if (diagnostic.file === undefined || diagnostic.start === undefined) return [];
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return [
      {
        file: diagnostic.file.fileName,
        start: diagnostic.start,
        line: line + 1,
        text: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
      },
    ];
  });
  return { program, diagnostics };
}
