// kerats' public surface: everything a user imports comes from here.

export {
  type CallContext,
  defineLayer,
  defineMergeLayer,
  type FactoryWithClass,
  type InitializerName,
  type LayerClass,
  type LayerDefinition,
  type LayerWeights,
  type MergeLayerClass,
  type MergeLayerDefinition,
  type TfInitializer,
  type WeightDef,
} from './dsl/define.ts';
export {
  type ElementwiseDType,
  type ElementwiseRule,
  type ElementwiseShape,
  elementwiseOutput,
} from './dsl/elementwise.ts';
export type { OkList, RuleCarrier, TensorsOf } from './dsl/layer.ts';
export {
  type Apply,
  type ApplyMerge,
  clearSession,
  type DTypeOf,
  type InputOf,
  type InputsOf,
  type JsonValue,
  type Layer,
  type LayerArg,
  LayerCore,
  type LayerHandle,
  type LayerOut,
  type LayerSpec,
  type Lowering,
  layerHandle,
  type MergeCheck,
  type MergeLayer,
  type MergeOut,
  type MergeRule,
  type Ok,
  type Rule,
  type TensorInfo,
  type UnarySpec,
  type WeightSpec,
} from './dsl/layer.ts';
export { Activation, type ActivationRule } from './dsl/layers/activation.ts';
export { Add } from './dsl/layers/add.ts';
export { Average } from './dsl/layers/average.ts';
export { AveragePooling2D } from './dsl/layers/average-pooling2d.ts';
export {
  BatchNormalization,
  type BatchNormalizationOptions,
  type BatchNormalizationRule,
  type BatchNormalizationShape,
} from './dsl/layers/batch-normalization.ts';
export {
  Bidirectional,
  type BidirectionalOptions,
  type BidirectionalRule,
  type BidirectionalShape,
  type MergeMode,
  type RecurrentCheck,
} from './dsl/layers/bidirectional.ts';
export {
  Concatenate,
  type ConcatenateOptions,
  type ConcatenateRule,
  type ConcatenateShape,
} from './dsl/layers/concatenate.ts';
export { Conv1D, type Conv1DOptions, type Conv1DRule } from './dsl/layers/conv1d.ts';
export { Conv2D, type Conv2DOptions, type Conv2DRule } from './dsl/layers/conv2d.ts';
export { Dense, type DenseOptions, type DenseRule, type DenseShape } from './dsl/layers/dense.ts';
export { Dropout, type DropoutRule, type RateArg } from './dsl/layers/dropout.ts';
export { Embedding, type EmbeddingOptions, type EmbeddingRule, type EmbeddingShape } from './dsl/layers/embedding.ts';
export { Flatten, type FlattenRule, type FlattenShape } from './dsl/layers/flatten.ts';
export type { CallSources, ModelArg, ModelCall, ModelOut } from './dsl/layers/functional.ts';
export {
  GlobalAveragePooling2D,
  type GlobalAveragePooling2DRule,
  type GlobalAveragePooling2DShape,
} from './dsl/layers/global-average-pooling2d.ts';
export { GRU } from './dsl/layers/gru.ts';
export { Input, type InputOptions, type InputShapeCheck } from './dsl/layers/input.ts';
export {
  Lambda,
  type LambdaFunction,
  type LambdaLayer,
  type LambdaListFunction,
  type LambdaListRule,
  type LambdaOptions,
  type LambdaOutputShape,
  type LambdaRule,
} from './dsl/layers/lambda.ts';
export { LSTM } from './dsl/layers/lstm.ts';
export { MaxPooling1D } from './dsl/layers/max-pooling1d.ts';
export { MaxPooling2D } from './dsl/layers/max-pooling2d.ts';
export {
  type AttentionCallOptions,
  MultiHeadAttention,
  type MultiHeadAttentionCheck,
  type MultiHeadAttentionLayer,
  type MultiHeadAttentionOptions,
  type MultiHeadAttentionOut,
  type MultiHeadAttentionShape,
} from './dsl/layers/multi-head-attention.ts';
export { Multiply } from './dsl/layers/multiply.ts';
export { Reshape, type ReshapeRule, type ReshapeShape, type ReshapeTargetCheck } from './dsl/layers/reshape.ts';
export { SimpleRNN } from './dsl/layers/simple-rnn.ts';
export { Subtract, type SubtractRule, type SubtractShape } from './dsl/layers/subtract.ts';
export { TimeDistributed, type TimeDistributedRule, type TimeDistributedShape } from './dsl/layers/time-distributed.ts';
export { UpSampling1D, type UpSampling1DRule, type UpSampling1DShape } from './dsl/layers/up-sampling1d.ts';
export type { InputsCheck } from './dsl/model.ts';
export {
  Functional,
  type FunctionalArgs,
  type ModelArgs,
  type ModelCheck,
  type SummaryOptions,
  type Tensors,
} from './dsl/model.ts';
export type {
  Activation as ActivationName,
  BaseOptions,
  Opt,
  Pair,
  PositiveArg,
  StridesOrDilationCheck,
  Window2D,
  WindowCheck,
  WindowOptionsCheck,
} from './dsl/options.ts';
export { boolean, oneOf, positiveInteger } from './dsl/options.ts';
export type { Pooling1DOptions, Pooling2DOptions, PoolingRule } from './dsl/pooling.ts';
export type {
  AnyRecurrentRule,
  InitialStateCheck,
  InitialStateOption,
  RecurrentConfig,
  RecurrentLayer,
  RecurrentOptions,
  RecurrentRule,
  RecurrentShape,
  ReturnedStates,
  Sequences,
  StateOuts,
} from './dsl/recurrent.ts';
export type {
  AnyLayerClass,
  CustomLayers,
  LayerConfig,
  LayerFactory,
  RebuildContext,
} from './dsl/registry.ts';
export type { MakeModel, SavedGraph } from './dsl/saved-graph.ts';
export type { SummaryRow, SummaryTable } from './dsl/summary.ts';
export {
  type AnyTensor,
  type DType,
  type GraphNode,
  isTensor,
  type SourcesOf,
  SymbolicTensor,
} from './dsl/tensor.ts';
export type { OutChannels, WindowGeometry, WindowShape } from './dsl/window.ts';
export type { DuplicateMessage, OptionConflictMessage } from './errors.ts';
export {
  type AxisMismatchMessage,
  type BadAxisMessage,
  type DTypeMessage,
  type ElementCountMessage,
  type ErrorCode,
  type ErrorData,
  type InputCountMessage,
  KeratsError,
  type MissingInputMessage,
  type ModelInputMessage,
  type OptionMessage,
  type OverflowMessage,
  type RankMessage,
  type RankMismatchMessage,
  type UnknownDimMessage,
  type WindowTooLargeMessage,
} from './errors.ts';
export { type CallableModel, KerasModel, loadModel, Model, ModelLayer } from './model.ts';
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
export type { CustomLoss, LossAlias, LossArg, LossName, LossObject, LossOptions } from './runtime/losses.ts';
export type {
  CustomMetric,
  MetricArg,
  MetricName,
  MetricObject,
  MetricOptions,
  NamedCustomMetric,
} from './runtime/metrics.ts';
export {
  type CommonOptimizerOptions,
  type OptimizerArg,
  type OptimizerName,
  type OptimizerObject,
  type OptimizerOptions,
  optimizerNames,
} from './runtime/optimizers.ts';
export type { ProgressOutput, Verbosity } from './runtime/progress.ts';
export type { ClassWeightArg, SampleWeightArg, SampleWeightData } from './runtime/sample-weights.ts';
export type { LoadOptions } from './runtime/save.ts';
export {
  type CosineDecay,
  type ExponentialDecay,
  type LearningRateSchedule,
  learningRateAt,
  type PiecewiseConstantDecay,
  type PolynomialDecay,
} from './runtime/schedules.ts';
export type {
  Callback,
  CompileArgs,
  CompileArgsFor,
  FitArgs,
  History,
  Logs,
  MetricArgFor,
  MetricsArg,
  TrainingControl,
  TrainKey,
} from './runtime/training.ts';
export type {
  Add as AddDims,
  CeilDiv,
  Compare,
  FloorDiv,
  Mod,
  Mul,
  Overflow,
  Product,
  Sub,
} from './shapes/arithmetic.ts';
export type { AxisIndex } from './shapes/axis.ts';
export type { ConvLength, DilatedSize, Padding, WindowTooLarge } from './shapes/conv.ts';
export type { Dim, IsPositiveInteger, IsUnknownRank, MutableShape, Shape, ShowShape } from './shapes/dim.ts';
export { type BroadcastShapes, type Disagreement, type MergeShapes, mergeShapes } from './shapes/merge.ts';
