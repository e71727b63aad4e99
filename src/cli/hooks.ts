// Module hooks for the model files the command line imports: their `import ... from 'kerats'` is bound to the
// kerats that runs the command, so their models are this kerats' models (instanceof, the chosen backend) even
// where a tsconfig `paths` entry or a second install would lead elsewhere.

let keratsUrl = '';

export function initialize(data: { readonly keratsUrl: string }): void {
  keratsUrl = data.keratsUrl;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (specifier === 'kerats') return { url: keratsUrl, shortCircuit: true };
  return next(specifier, context);
}
