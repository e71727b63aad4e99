// Runs the TypeScript 5.9 compiler (installed as the `typescript-5` alias) with the given arguments,
// so `npm test` checks with both the native 7.x compiler and the 5.x one that editors still ship.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
process.argv.splice(1, 1, require.resolve('typescript-5/lib/tsc.js'));
require('typescript-5/lib/tsc.js');
