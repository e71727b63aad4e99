// Options that several commands share, described once.
export const modelOption = {
  type: 'string',
  value: '<name>',
  help: 'the model exported under this name (needed when the file exports several)',
} as const;

export const checkOption = {
  type: 'boolean',
  help: 'skip the type check (faster; a wiring mistake then shows as the runtime error)',
} as const;
