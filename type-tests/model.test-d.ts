// Model's compile-time checks at their edges: what must still compile beside what must not.
import { expectType } from 'tsd';
import type { InputsCheck } from '../src/dsl/model.ts';
import {
  type AnyTensor,
  type CallableModel,
  Concatenate,
  Dense,
  Input,
  Model,
  type SymbolicTensor,
} from '../src/index.ts';

declare function value<T>(): T;
type Named<Name extends string> = SymbolicTensor<[4], 'float32', Name>;

// A named Input listed twice is the message; anything the types cannot tell apart is left to the runtime.
expectType<{ readonly error: "Model: the input 'a' appears more than once; inputs must be unique" }>(
  value<InputsCheck<[Named<'a'>, Named<'b'>, Named<'a'>]>>(),
);
expectType<unknown>(value<InputsCheck<[Named<'a'>, Named<'b'>]>>());
expectType<unknown>(value<InputsCheck<[SymbolicTensor<[4]>, SymbolicTensor<[4]>]>>());
expectType<unknown>(value<InputsCheck<[Named<'a' | 'b'>, Named<'a' | 'b'>]>>());
expectType<unknown>(value<InputsCheck<Named<'a'>>>());
expectType<unknown>(value<InputsCheck<AnyTensor[]>>());

// Two distinct named inputs, and two unnamed ones, compile.
const a = Input([4], { name: 'a' });
const b = Input([4], { name: 'b' });
expectType<
  CallableModel<readonly [Named<'a'>, Named<'b'>], SymbolicTensor<[1], 'float32', 'a' | 'b'>, string, 'Model'>
>(Model({ inputs: [a, b], outputs: Dense(1)(Concatenate()([a, b])) }));
const x = Input([4]);
const y = Input([4]);
Model({ inputs: [x, y], outputs: Concatenate()([x, y]) });
