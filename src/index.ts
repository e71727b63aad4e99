// kerats' public surface: everything a user imports comes from here.

export { clearSession, type Layer, type LayerHandle, type MergeLayer, type WeightSpec } from './dsl/layer.ts';
export { Activation } from './dsl/layers/activation.ts';
export { Add } from './dsl/layers/add.ts';
export { Average } from './dsl/layers/average.ts';
export { AveragePooling2D } from './dsl/layers/average-pooling2d.ts';
export { BatchNormalization, type BatchNormalizationOptions } from './dsl/layers/batch-normalization.ts';
export { Bidirectional, type BidirectionalOptions, type MergeMode } from './dsl/layers/bidirectional.ts';
export { Concatenate, type ConcatenateOptions } from './dsl/layers/concatenate.ts';
export { Conv1D, type Conv1DOptions } from './dsl/layers/conv1d.ts';
export { Conv2D, type Conv2DOptions } from './dsl/layers/conv2d.ts';
export { Dense, type DenseOptions } from './dsl/layers/dense.ts';
export { Dropout } from './dsl/layers/dropout.ts';
export { Embedding, type EmbeddingOptions } from './dsl/layers/embedding.ts';
export { Flatten } from './dsl/layers/flatten.ts';
export { GlobalAveragePooling2D } from './dsl/layers/global-average-pooling2d.ts';
export { GRU } from './dsl/layers/gru.ts';
export { Input, type InputOptions } from './dsl/layers/input.ts';
export { LSTM } from './dsl/layers/lstm.ts';
export { MaxPooling1D } from './dsl/layers/max-pooling1d.ts';
export { MaxPooling2D } from './dsl/layers/max-pooling2d.ts';
export { Multiply } from './dsl/layers/multiply.ts';
export { Reshape } from './dsl/layers/reshape.ts';
export { SimpleRNN } from './dsl/layers/simple-rnn.ts';
export { TimeDistributed } from './dsl/layers/time-distributed.ts';
export { KerasModel, Model, type ModelArgs, type Tensors } from './dsl/model.ts';
export type { Activation as ActivationName, BaseOptions } from './dsl/options.ts';
export type { Pooling1DOptions, Pooling2DOptions } from './dsl/pooling.ts';
export type { RecurrentOptions } from './dsl/recurrent.ts';
export { type AnyTensor, type DType, SymbolicTensor } from './dsl/tensor.ts';
export { type ErrorCode, type ErrorData, KeratsError } from './errors.ts';
export { type HistoryLike, type PlotHistoryOptions, plotHistory } from './plot/history.ts';
export { modelToDot, type PlotModelOptions, plotModel } from './plot/model.ts';
export {
  type BackendChoice,
  type BackendName,
  BackendUnavailableError,
  backendNames,
  probeBackends,
  useBackend,
} from './runtime/backend.ts';
export { EarlyStopping, type EarlyStoppingOptions, ModelCheckpoint } from './runtime/callbacks.ts';
export type { DataFor, TensorData } from './runtime/data.ts';
export type { LossName, MetricName, OptimizerName } from './runtime/losses.ts';
export { type LoadOptions, loadModel } from './runtime/save.ts';
export type { Callback, CompileArgs, FitArgs, History, Logs } from './runtime/training.ts';
export type { Add as AddDims, CeilDiv, Compare, FloorDiv, Mul, Overflow, Product, Sub } from './shapes/arithmetic.ts';
export type { Dim, Shape } from './shapes/dim.ts';
