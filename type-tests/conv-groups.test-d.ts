// Conv1D/2D/3D's groups at the type level: the output shape is the convolution's; a literal groups that does not
// divide literal filters is an error at the option, one that does not divide a literal channel count is one at the
// call (the must-not-compile corpus pins their sentences); sizes typed number compile and are checked when built.
import { expectAssignable, expectError, expectType } from 'tsd';
import { Conv1D, Conv2D, Conv3D, type Dim, Input, type SymbolicTensor } from '../src/index.ts';

declare const size: number;
declare const flag: boolean;
const image = Input([32, 32, 16]);

// --- Literal groups ------------------------------------------------------------------------------------------
expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(Conv2D(64, 3, { groups: 4 })(image));
expectType<SymbolicTensor<[16, 16, 32], 'float32', never>>(
  Conv2D(32, 3, { groups: 16, strides: 2, padding: 'same' })(image),
);
expectType<SymbolicTensor<[28, 28, 8], 'float32', never>>(Conv2D(8, 3, { groups: 2, dilationRate: 2 })(image));
expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(Conv2D(64, 3, { groups: 1 })(image));
expectType<SymbolicTensor<[98, 12], 'float32', never>>(Conv1D(12, 3, { groups: 3 })(Input([100, 6])));
expectType<SymbolicTensor<[7, 7, 7, 8], 'float32', never>>(Conv3D(8, 2, { groups: 4 })(Input([8, 8, 8, 4])));
// One group per channel (a depthwise convolution with filters / channels outputs each).
expectType<SymbolicTensor<[30, 30, 32], 'float32', never>>(Conv2D(32, 3, { groups: 16 })(image));

// --- Sizes the compiler cannot see compile (the runtime checks them) -------------------------------------------
expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(Conv2D(64, 3, { groups: size })(image));
expectType<SymbolicTensor<[30, 30, number], 'float32', never>>(Conv2D(size, 3, { groups: 4 })(image));
expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(Conv2D(64, 3, { groups: 4 })(Input([32, 32, size])));
expectType<SymbolicTensor<[98, 9], 'float32', never>>(Conv1D(9, 3, { groups: 3 })(Input([100, size])));
// A union whose members all divide: the shape is the same for each.
expectType<SymbolicTensor<[30, 30, 64], 'float32', never>>(Conv2D(64, 3, { groups: flag ? 2 : 4 })(image));
// A layer made with a number of groups, applied to a literal input.
const conv = Conv2D(8, 3, { groups: size });
expectAssignable<SymbolicTensor<Dim[], 'float32', never>>(conv(Input([10, 10, 3])));

// --- Mistakes (messages pinned in type-tests/must-not-compile.test-d.ts) -------------------------------------
expectError(Conv2D(64, 3, { groups: 3 }));
expectError(Conv2D(64, 3, { groups: 0 }));
expectError(Conv1D(8, 3, { groups: 2.5 }));
expectError(Conv2D(64, 3, { groups: 8 })(Input([32, 32, 12])));
expectError(Conv3D(8, 2, { groups: 2 })(Input([8, 8, 8, 3])));
// A union with a member that does not divide filters.
expectError(Conv2D(8, 3, { groups: flag ? 2 : 3 }));
