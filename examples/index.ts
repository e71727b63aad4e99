// The eight reference models, for the scripts and tests that go through all of them.
import type { CompileArgs, DataFor, KerasModel, Tensors } from 'kerats';
import * as bilstm from './bilstm.ts';
import * as cnn from './cnn.ts';
import * as mlp from './mlp.ts';
import * as multipleInputs from './multiple-inputs.ts';
import * as multipleOutputs from './multiple-outputs.ts';
import * as rnn from './rnn.ts';
import * as sharedFeatureExtraction from './shared-feature-extraction.ts';
import * as sharedInput from './shared-input.ts';

/** What each example module exports besides its tensors: the model, how to train it, and data for it. */
export interface Example<Inputs extends Tensors, Outputs extends Tensors> {
  readonly model: KerasModel<Inputs, Outputs>;
  readonly training: CompileArgs<'accuracy'>;
  data(samples: number): { x: DataFor<Inputs>; y: DataFor<Outputs> };
}

export { bilstm, cnn, mlp, multipleInputs, multipleOutputs, rnn, sharedFeatureExtraction, sharedInput };
