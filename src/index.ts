// kerats' public surface: everything a user imports comes from here.

export type { TfjsActivation } from './dsl/activation-functions.ts';
export type { ClassOptionKinds } from './dsl/class-option.ts';
export type {
  Constraint,
  ConstraintExpected,
  ConstraintName,
  ConstraintObject,
  ConstraintOptionsCheck,
  ResolvedConstraint,
  TfConstraint,
} from './dsl/constraints.ts';
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
export type { EdgePairs, Edges1D, Edges2D, Edges3D, EdgesCheck, EdgesShape } from './dsl/edges.ts';
export {
  type ElementwiseDType,
  type ElementwiseRule,
  type ElementwiseShape,
  elementwiseOutput,
} from './dsl/elementwise.ts';
export type { GlobalPoolingOptions, GlobalPoolingRule, GlobalPoolingShape } from './dsl/global-pooling.ts';
export type { GroupedShape, GroupsCheck } from './dsl/grouped-conv.ts';
export type { Interpolation } from './dsl/image-resize.ts';
export type {
  Initializer,
  InitializerClassName,
  InitializerExpected,
  InitializerObject,
  InitializerOptionsCheck,
  ResolvedInitializer,
} from './dsl/initializers.ts';
export {
  type Apply,
  type ApplyMerge,
  type ArgDType,
  type ArgShape,
  type ArgSources,
  type CarriedError,
  clearSession,
  type DTypeOf,
  type InputOf,
  type InputsOf,
  type JsonValue,
  type Layer,
  type LayerArg,
  LayerCore,
  type LayerHandle,
  type LayerInput,
  type LayerOut,
  type LayerOutOf,
  type LayerSpec,
  LossCollector,
  type Lowering,
  layerHandle,
  type MergeCheck,
  type MergeFunction,
  type MergeLayer,
  type MergeOut,
  type MergeOutOf,
  type MergeRule,
  mergeFunction,
  type Ok,
  type OkList,
  type PartsOf,
  type Rule,
  type RuleCarrier,
  type RuleError,
  type SeenParts,
  type TensorInfo,
  type TensorsOf,
  type UnarySpec,
  type Unchecked,
  type WeightSpec,
  type Widened,
} from './dsl/layer.ts';
export {
  Activation,
  type ActivationLayerName,
  type ActivationRule,
  type GluRule,
  type GluShape,
} from './dsl/layers/activation.ts';
export {
  ActivityRegularization,
  type ActivityRegularizationOptions,
  type ActivityRegularizationRule,
} from './dsl/layers/activity-regularization.ts';
export { Add, add } from './dsl/layers/add.ts';
export { AlphaDropout, type AlphaDropoutRule } from './dsl/layers/alpha-dropout.ts';
export { Average, average } from './dsl/layers/average.ts';
export { AveragePooling1D, AvgPool1D } from './dsl/layers/average-pooling1d.ts';
export { AveragePooling2D, AvgPool2D } from './dsl/layers/average-pooling2d.ts';
export { AveragePooling3D, AvgPool3D } from './dsl/layers/average-pooling3d.ts';
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
export { CenterCrop, type CenterCropRule, type CenterCropShape } from './dsl/layers/center-crop.ts';
export {
  Concatenate,
  type ConcatenateOptions,
  type ConcatenateRule,
  type ConcatenateShape,
  concatenate,
} from './dsl/layers/concatenate.ts';
export {
  type AnyConvLSTM2DRule,
  ConvLSTM2D,
  type ConvLSTM2DLayer,
  type ConvLSTM2DOptions,
  type ConvLSTM2DRule,
  type ConvLSTM2DShape,
  type ConvLSTM2DStateOption,
  type ConvLSTM2DStateShape,
} from './dsl/layers/conv-lstm2d.ts';
export { Conv1D, type Conv1DOptions, type Conv1DRule } from './dsl/layers/conv1d.ts';
export {
  Conv1DTranspose,
  type Conv1DTransposeOptions,
  type Conv1DTransposeRule,
  type Conv1DTransposeShape,
} from './dsl/layers/conv1d-transpose.ts';
export { Conv2D, type Conv2DOptions, type Conv2DRule } from './dsl/layers/conv2d.ts';
export {
  Conv2DTranspose,
  type Conv2DTransposeOptions,
  type Conv2DTransposeRule,
  type Conv2DTransposeShape,
  type OutputPaddingCheck,
} from './dsl/layers/conv2d-transpose.ts';
export { Conv3D, type Conv3DOptions, type Conv3DRule } from './dsl/layers/conv3d.ts';
export {
  Conv3DTranspose,
  type Conv3DTransposeOptions,
  type Conv3DTransposeRule,
  type Conv3DTransposeShape,
  type Transpose3DOptionsCheck,
} from './dsl/layers/conv3d-transpose.ts';
export { Cropping1D, type Cropping1DRule } from './dsl/layers/cropping1d.ts';
export { Cropping2D, type Cropping2DRule } from './dsl/layers/cropping2d.ts';
export { Cropping3D, type Cropping3DRule } from './dsl/layers/cropping3d.ts';
export { Dense, type DenseOptions, type DenseRule, type DenseShape } from './dsl/layers/dense.ts';
export {
  DepthwiseConv2D,
  type DepthwiseConv2DOptions,
  type DepthwiseConv2DRule,
  type DepthwiseConv2DShape,
} from './dsl/layers/depthwise-conv2d.ts';
export { Dot, type DotAxes, type DotOptions, type DotRule, type DotShape, dot } from './dsl/layers/dot.ts';
export { Dropout, type DropoutRule, type RateArg } from './dsl/layers/dropout.ts';
export { ELU, type ELUOptions } from './dsl/layers/elu.ts';
export { Embedding, type EmbeddingOptions, type EmbeddingRule, type EmbeddingShape } from './dsl/layers/embedding.ts';
export { Flatten, type FlattenRule, type FlattenShape } from './dsl/layers/flatten.ts';
export type { CallSources, ModelArg, ModelCall, ModelOut } from './dsl/layers/functional.ts';
export { GaussianDropout, type GaussianDropoutRule } from './dsl/layers/gaussian-dropout.ts';
export { GaussianNoise, type GaussianNoiseRule, type StddevArg } from './dsl/layers/gaussian-noise.ts';
export { GlobalAveragePooling1D, GlobalAvgPool1D } from './dsl/layers/global-average-pooling1d.ts';
export {
  GlobalAveragePooling2D,
  type GlobalAveragePooling2DRule,
  type GlobalAveragePooling2DShape,
  GlobalAvgPool2D,
} from './dsl/layers/global-average-pooling2d.ts';
export { GlobalAveragePooling3D, GlobalAvgPool3D } from './dsl/layers/global-average-pooling3d.ts';
export { GlobalMaxPool1D, GlobalMaxPooling1D } from './dsl/layers/global-max-pooling1d.ts';
export { GlobalMaxPool2D, GlobalMaxPooling2D } from './dsl/layers/global-max-pooling2d.ts';
export { GlobalMaxPool3D, GlobalMaxPooling3D } from './dsl/layers/global-max-pooling3d.ts';
export {
  GroupNormalization,
  type GroupNormalizationOptions,
  type GroupNormalizationRule,
  type GroupNormalizationShape,
} from './dsl/layers/group-normalization.ts';
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
export {
  LayerNormalization,
  type LayerNormalizationOptions,
  type LayerNormalizationRule,
  type LayerNormalizationShape,
} from './dsl/layers/layer-normalization.ts';
export { LeakyReLU, type LeakyReLUOptions } from './dsl/layers/leaky-relu.ts';
export { LSTM } from './dsl/layers/lstm.ts';
export { Masking, type MaskingOptions, type MaskingRule, type MaskingShape } from './dsl/layers/masking.ts';
export { MaxPool1D, MaxPooling1D } from './dsl/layers/max-pooling1d.ts';
export { MaxPool2D, MaxPooling2D } from './dsl/layers/max-pooling2d.ts';
export { MaxPool3D, MaxPooling3D } from './dsl/layers/max-pooling3d.ts';
export { Maximum, maximum } from './dsl/layers/maximum.ts';
export { Minimum, minimum } from './dsl/layers/minimum.ts';
export {
  type AttentionCallOptions,
  MultiHeadAttention,
  type MultiHeadAttentionCheck,
  type MultiHeadAttentionLayer,
  type MultiHeadAttentionOptions,
  type MultiHeadAttentionOut,
  type MultiHeadAttentionShape,
} from './dsl/layers/multi-head-attention.ts';
export { Multiply, multiply } from './dsl/layers/multiply.ts';
export { Permute, type PermuteCheck, type PermuteRule, type PermuteShape } from './dsl/layers/permute.ts';
export { PReLU, type PReLUOptions, type PReLURule, type PReLUShape } from './dsl/layers/prelu.ts';
export { ReLU, type ReLUOptions } from './dsl/layers/relu.ts';
export {
  RepeatVector,
  type RepeatVectorRule,
  type RepeatVectorShape,
} from './dsl/layers/repeat-vector.ts';
export { Rescaling, type RescalingOptions, type RescalingRule } from './dsl/layers/rescaling.ts';
export { Reshape, type ReshapeRule, type ReshapeShape, type ReshapeTargetCheck } from './dsl/layers/reshape.ts';
export { Resizing, type ResizingOptions, type ResizingRule, type ResizingShape } from './dsl/layers/resizing.ts';
export {
  SeparableConv1D,
  type SeparableConv1DOptions,
  type SeparableConv1DRule,
} from './dsl/layers/separable-conv1d.ts';
export {
  SeparableConv2D,
  type SeparableConv2DOptions,
  type SeparableConv2DRule,
} from './dsl/layers/separable-conv2d.ts';
export { SimpleRNN } from './dsl/layers/simple-rnn.ts';
export { Softmax, type SoftmaxOptions, type SoftmaxRule, type SoftmaxShape } from './dsl/layers/softmax.ts';
export {
  SpatialDropout1D,
  type SpatialDropout1DRule,
  type SpatialDropout1DShape,
} from './dsl/layers/spatial-dropout1d.ts';
export {
  SpatialDropout2D,
  type SpatialDropout2DRule,
  type SpatialDropout2DShape,
} from './dsl/layers/spatial-dropout2d.ts';
export { Subtract, type SubtractRule, type SubtractShape, subtract } from './dsl/layers/subtract.ts';
export { TimeDistributed, type TimeDistributedRule, type TimeDistributedShape } from './dsl/layers/time-distributed.ts';
export {
  UnitNormalization,
  type UnitNormalizationOptions,
  type UnitNormalizationRule,
  type UnitNormalizationShape,
} from './dsl/layers/unit-normalization.ts';
export { UpSampling1D, type UpSampling1DRule, type UpSampling1DShape } from './dsl/layers/up-sampling1d.ts';
export {
  UpSampling2D,
  type UpSampling2DOptions,
  type UpSampling2DRule,
  type UpSampling2DShape,
} from './dsl/layers/up-sampling2d.ts';
export {
  UpSampling3D,
  type UpSampling3DRule,
  type UpSampling3DShape,
} from './dsl/layers/up-sampling3d.ts';
export { ZeroPadding1D, type ZeroPadding1DRule } from './dsl/layers/zero-padding1d.ts';
export { ZeroPadding2D, type ZeroPadding2DRule } from './dsl/layers/zero-padding2d.ts';
export { ZeroPadding3D, type ZeroPadding3DRule } from './dsl/layers/zero-padding3d.ts';
export type { InputsCheck } from './dsl/model.ts';
export {
  Functional,
  type FunctionalArgs,
  type ModelArgs,
  type ModelCheck,
  type ModelClassName,
  type SummaryOptions,
  type Tensors,
} from './dsl/model.ts';
export type {
  Activation as ActivationName,
  BaseOptions,
  LayerRateArg,
  NonNegativeOptionsCheck,
  Opt,
  Pair,
  PositiveArg,
  StridesOrDilationCheck,
  Triple,
  Window2D,
  Window3D,
  WindowCheck,
  WindowOptionsCheck,
} from './dsl/options.ts';
export { boolean, oneOf, positiveInteger, unitRate } from './dsl/options.ts';
export type { Pooling1DOptions, Pooling2DOptions, Pooling3DOptions, PoolingRule } from './dsl/pooling.ts';
export type {
  AnyRecurrentRule,
  InitialStateCheck,
  InitialStateOption,
  RecurrentConfig,
  RecurrentLayer,
  RecurrentOptions,
  RecurrentOwn,
  RecurrentRule,
  RecurrentShape,
  ReturnedStates,
  Sequences,
  StateOuts,
  StateSources,
  StatesCheck,
} from './dsl/recurrent.ts';
export type {
  AnyLayerClass,
  CustomLayers,
  LayerConfig,
  LayerFactory,
  RebuildContext,
} from './dsl/registry.ts';
export {
  l1,
  l1l2,
  l2,
  type Regularizer,
  type RegularizerExpected,
  type RegularizerName,
  type RegularizerObject,
  type RegularizerOptionsCheck,
  type ResolvedRegularizer,
  type TfRegularizer,
} from './dsl/regularizers.ts';
export type { MakeModel, SavedGraph } from './dsl/saved-graph.ts';
export type {
  BlockCarrier,
  BlockInput,
  BlockOutput,
  SequentialBlock,
  SequentialCheck,
  SequentialOutput,
} from './dsl/sequential.ts';
export type { SummaryRow, SummaryTable } from './dsl/summary.ts';
export {
  type AnyTensor,
  type DType,
  type GraphNode,
  isTensor,
  type SourcesOf,
  SymbolicTensor,
} from './dsl/tensor.ts';
export type { TransposeGeometry, TransposeOptionsBad } from './dsl/transpose.ts';
export type { TwinOp } from './dsl/twin.ts';
export type { WeightOptionsCheck } from './dsl/weight-options.ts';
export type { OutChannels, WindowGeometry, WindowShape } from './dsl/window.ts';
export type {
  CropTooLargeMessage,
  DuplicateMessage,
  OddAxisMessage,
  OptionConflictMessage,
  SequentialElementMessage,
} from './errors.ts';
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
export {
  type CallableModel,
  KerasModel,
  loadModel,
  Model,
  ModelLayer,
  Sequential,
  type SequentialOptions,
  type SequentialResult,
} from './model.ts';
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
export { BackupAndRestore, type BackupAndRestoreOptions } from './runtime/backup-and-restore.ts';
export {
  EarlyStopping,
  type EarlyStoppingOptions,
  LambdaCallback,
  LearningRateScheduler,
  ModelCheckpoint,
  type MonitorMode,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  TerminateOnNaN,
} from './runtime/callbacks.ts';
export { CSVLogger, type CSVLoggerOptions } from './runtime/csv-logger.ts';
export type { DataFor, TargetsFor, TensorData } from './runtime/data.ts';
export type { Batch, Dataset, InputBatch, TfDataset } from './runtime/datasets.ts';
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
  DatasetEvaluateArgs,
  DatasetFitArgs,
  EvaluateArgs,
  FitArgs,
  History,
  Logs,
  MetricArgFor,
  MetricsArg,
  TestOnBatchArgs,
  TrainingControl,
  TrainKey,
  TrainOnBatchArgs,
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
export type { ConvLength, DilatedSize, Padding, TransposeLength, WindowTooLarge } from './shapes/conv.ts';
export type { Dim, IsPositiveInteger, IsUnknownRank, MutableShape, Shape, ShowShape } from './shapes/dim.ts';
export { type BroadcastShapes, type Disagreement, type MergeShapes, mergeShapes } from './shapes/merge.ts';
