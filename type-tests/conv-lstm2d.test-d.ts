// ConvLSTM2D's output types: [time, rows, cols, channels] => [rows', cols', filters] (rows' and cols' by the
// convolution rule), [time, rows', cols', filters] with returnSequences, the output then h and c with returnState;
// initial states [rows', cols', filters] each.
import { expectType } from 'tsd';
import { type AnyTensor, ConvLSTM2D, type Dim, Input, type SymbolicTensor } from '../src/index.ts';

declare const size: number;
const video = Input([10, 32, 32, 3]);

// --- Padding, strides, dilation ------------------------------------------------------------------------------
expectType<SymbolicTensor<[30, 30, 16], 'float32', never>>(ConvLSTM2D(16, 3)(video));
expectType<SymbolicTensor<[32, 32, 16], 'float32', never>>(ConvLSTM2D(16, 3, { padding: 'same' })(video));
expectType<SymbolicTensor<[15, 15, 4], 'float32', never>>(ConvLSTM2D(4, 3, { strides: 2 })(video));
expectType<SymbolicTensor<[16, 16, 4], 'float32', never>>(ConvLSTM2D(4, 3, { strides: 2, padding: 'same' })(video));
expectType<SymbolicTensor<[30, 14, 4], 'float32', never>>(ConvLSTM2D(4, [3, 5], { strides: [1, 2] })(video));
expectType<SymbolicTensor<[28, 28, 4], 'float32', never>>(ConvLSTM2D(4, 3, { dilationRate: 2 })(video));

// --- returnSequences: the time axis stays, known, null or number -----------------------------------------------
expectType<SymbolicTensor<[10, 30, 30, 16], 'float32', never>>(ConvLSTM2D(16, 3, { returnSequences: true })(video));
expectType<SymbolicTensor<[null, 32, 32, 8], 'float32', 'clip'>>(
  ConvLSTM2D(8, 3, { returnSequences: true, padding: 'same' })(Input([null, 32, 32, 3], { name: 'clip' })),
);
expectType<SymbolicTensor<[number, 6, 6, 2], 'float32', never>>(
  ConvLSTM2D(2, 3, { returnSequences: true })(Input([size, 8, 8, 1])),
);
expectType<SymbolicTensor<[6, 6, 2], 'float32', never>>(
  ConvLSTM2D(2, 3, { goBackwards: true })(Input([size, 8, 8, 1])),
);
// An int32 video computes in float32, as Keras's convolutions do.
expectType<SymbolicTensor<[6, 6, 2], 'float32', never>>(ConvLSTM2D(2, 3)(Input([4, 8, 8, 1], { dtype: 'int32' })));

// --- returnState: the output, then h and c -------------------------------------------------------------------
const [last, h, c] = ConvLSTM2D(8, 3, { returnState: true })(video);
expectType<SymbolicTensor<[30, 30, 8], 'float32', never>>(last);
expectType<SymbolicTensor<[30, 30, 8], 'float32', never>>(h);
expectType<SymbolicTensor<[30, 30, 8], 'float32', never>>(c);
expectType<
  [
    SymbolicTensor<[10, 32, 32, 8], 'float32', never>,
    SymbolicTensor<[32, 32, 8], 'float32', never>,
    SymbolicTensor<[32, 32, 8], 'float32', never>,
  ]
>(ConvLSTM2D(8, 3, { returnState: true, returnSequences: true, padding: 'same' })(video));

// An input of unknown rank (sizes typed number[]) is checked when the model is built; the call still gives the list.
const sizes: number[] = [10, 8, 8, 1];
const [anyOut, anyH] = ConvLSTM2D(4, 3, { returnState: true })(Input(sizes));
expectType<SymbolicTensor<Dim[], 'float32', never>>(anyOut);
expectType<SymbolicTensor<[Dim, Dim, 4], 'float32', never>>(anyH);

// --- initialState: h and c from another layer ----------------------------------------------------------------
const frames = Input([5, 30, 30, 2], { name: 'frames' });
const decoded = ConvLSTM2D(8, 3, { padding: 'same' })(frames, { initialState: [h, c] });
expectType<SymbolicTensor<[30, 30, 8], 'float32', 'frames'>>(decoded);
const stateH = Input([16, 16, 4], { name: 'h' });
const stateC = Input([16, 16, 4], { name: 'c' });
expectType<SymbolicTensor<[16, 16, 4], 'float32', 'h' | 'c'>>(
  ConvLSTM2D(4, 3, { strides: 2, padding: 'same' })(video, { initialState: [stateH, stateC] }),
);

// --- A helper generic over its input, and a union of layers --------------------------------------------------
/** A decoder step written once for any clip and states: the states are checked where the helper is called. */
function decoder<const Next extends AnyTensor, const State extends AnyTensor>(next: Next, h: State, c: State) {
  return ConvLSTM2D(4, 3, { padding: 'same' })(next, { initialState: [h, c] });
}
const [, encodedH, encodedC] = ConvLSTM2D(4, 3, { padding: 'same', returnState: true })(
  Input([5, 16, 16, 1], { name: 'clip' }),
);
expectType<SymbolicTensor<[16, 16, 4], 'float32', 'clip' | 'next'>>(
  decoder(Input([3, 16, 16, 1], { name: 'next' }), encodedH, encodedC),
);
declare const wide: boolean;
expectType<SymbolicTensor<[30, 30, 16], 'float32', never> | SymbolicTensor<[30, 30, 8], 'float32', never>>(
  (wide ? ConvLSTM2D(16, 3) : ConvLSTM2D(8, 3))(video),
);
