// kerats backends: which TensorFlow.js backends load on this machine, and how to get the others.
import { probeBackends, useBackend } from '../runtime/backend.ts';
import type { CommandSpec, Parsed } from './args.ts';

export const backendsCommand: CommandSpec = {
  name: 'backends',
  operand: '',
  summary:
    'Lists the backends kerats can train on, whether each loads here, and for those that do not, why and how to get them.',
  description:
    "'auto' (the default of --backend and KERATS_BACKEND) takes the first that loads, in this order: gpu, native, wasm, cpu.",
  options: {},
  examples: ['kerats backends'],
};

export async function backends(_parsed: Parsed, print: (line: string) => void): Promise<void> {
  const results = await probeBackends();
  const width = Math.max(...results.map(({ backend }) => backend.length)) + 2;
  for (const { backend, available, detail } of results)
    print(`${backend.padEnd(width)}${(available ? 'yes' : 'no').padEnd(5)}${detail}`);
  print('');
  print(`auto picks: ${await useBackend('auto')}`);
}
