// Gradient kernels for the backends that lack a fast one. The wasm backend has no Conv2DBackpropFilter (the
// filter gradient of Conv2D) and no UnsortedSegmentSum (the gradient of Gather, so of Embedding), so it cannot
// train a model with either; the plain-JS cpu backend has both, but slow ones (seconds per batch). Both are
// written here with kernels these backends do have:
//   - the filter gradient is itself a convolution, of the input with the output gradient, batch and channel
//     axes swapped (and strides and dilations swapped);
//   - the segment sum is a scatter-add (ScatterNd adds duplicate indices).
// Native and GPU backends keep their stock kernels. tests/kernels.test.ts checks both against the stock cpu
// kernels numerically.
//
// On wasm two more kernels exist but run on slow generic paths (about 1 GFLOP/s, where XNNPACK's convolution and
// plain matMul run at 10-16): the input gradient of Conv2D (Conv2DBackpropInput) and matMul with a transposed
// operand (the gradients of every Dense). They are replaced by the fast ones: the input gradient is a
// convolution of the output gradient (zeros between its rows and columns for strides, padded) by the flipped
// filter, and a transposed operand is transposed first, then multiplied plainly.
//
// wasm's MaxPoolGrad (tfjs-wasm 4.22) starts each window's maximum at the smallest positive float, so a window
// whose values are all negative sends its gradient to its first cell whatever the maximum, and ties go to the last
// maximum where cpu's go to the first: a model pooling signed values trained wrongly on wasm. It is replaced by a
// loop over the window (cpu's rule: the first maximum, row by row), which is also faster than the stock kernel.
//
// AvgPoolGrad has another bug, on wasm and cpu alike: with 'same' padding the forward pool divides each window by
// the cells it covers inside the input (as TensorFlow does), the gradient by the whole window's size, so the border
// cells got too small a gradient. It is replaced on both by a loop that divides by the same count as the forward.
//
// The 3D pools have the same bugs, and more (tfjs 4.22): wasm's MaxPool3D itself starts each window's maximum at
// the smallest positive float (a window whose values are all negative pools to about 0, its gradient to the wrong
// cell); cpu's MaxPool3DGrad indexes a window's cells by its height where its width belongs, so a window of unequal
// height and width sends gradients to the wrong cells; AvgPool3DGrad divides by the whole window on both, as
// AvgPoolGrad did; and tfjs's 3D 'same' padding is not clamped at 0, so a pool smaller than its stride reads a
// window shifted by a cell, forward and backward, on both. The four kernels are replaced by loops over TensorFlow's
// windows (the first maximum, depth, row and column in order) on cpu and wasm.
//
// wasm has no DepthwiseConv2dNativeBackpropInput or ...BackpropFilter at all, so a DepthwiseConv2D or
// SeparableConv2D could not train on it. A depthwise filter [kh, kw, c, m] is the plain Conv2D filter
// [kh, kw, c, c * m] that is zero off its diagonal, so both gradients are those of that Conv2D, computed above
// (c times the arithmetic; the depthwise layers are small).
//
// tfjs has no gradient at all for a dilated Conv2D (so none for a dilated Conv1D, which is one), on any backend:
// its gradient refuses dilations and its backprop kernels take none. registerGradients adds one: the input
// gradient is a transposed convolution by the filter with its holes filled in (zeros between the taps), and the
// filter gradient is the convolution above, which takes dilations. A dilated depthwise convolution gets one the same
// way, through its full filter. NotEqual and Any get a zero gradient (see registerGradients).
import * as tf from '@tensorflow/tfjs';

/** Backends whose stock kernels these replace. */
const replaced = new Set(['wasm', 'cpu']);
const done = new Set<string>();

/** What a kernel receives for each input: a tensor's data id, shape and dtype. */
type Info = tf.TensorInfo;

/** Adds a reference to a tensor's data on the backend, so that disposing one wrapper does not free it. */
function incRef(backend: object, dataId: object): void {
  // The kernels handed here run on wasm or cpu, both KernelBackends of the one tfjs-core kerats loads.
  if (!(backend instanceof tf.KernelBackend)) throw new Error('kerats kernel: this backend cannot share tensor data');
  backend.incRef(dataId);
}

/**
 * A tensor over a kernel input's data, to compute with tf ops. It holds its own reference to the data, so
 * disposing it (at the end of the kernel's tidy) leaves the input intact.
 */
function tensorOf(info: Info | undefined, name: string, backend: object): tf.Tensor {
  if (info === undefined) throw new Error(`kerats kernel: missing input '${name}'`);
  incRef(backend, info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Hands a tensor computed inside a kernel to the engine as the kernel's output: the backend keeps its data
 * (one more reference) while the wrapper made here is disposed.
 */
function adopt(result: tf.Tensor, backend: object): Info {
  incRef(backend, result.dataId);
  const info = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
  result.dispose();
  return info;
}

function pair(value: unknown, name: string): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number')
    return [value[0], value[1]];
  throw new Error(`kerats kernel: ${name} must be a number or a pair, got ${String(value)}`);
}

/**
 * dW[i, j, c, o] = sum over b, p, q of x[b, p*sh + i*dh - top, q*sw + j*dw - left, c] * dy[b, p, q, o]: a
 * convolution of x (batch and channels swapped) by dy (as a filter), strides and dilations swapped.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw, channels, filters] = filterShape;
  const { top, bottom, left, right } = info.padInfo;
  return tf.tidy(() => {
    const padded =
      top + bottom + left + right > 0
        ? tf.pad(x, [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ])
        : x;
    // Only the rows and columns the forward convolution read.
    const rows = strides[0] * (info.outHeight - 1) + dilations[0] * (kh - 1) + 1;
    const cols = strides[1] * (info.outWidth - 1) + dilations[1] * (kw - 1) + 1;
    const used = tf.slice(padded, [0, 0, 0, 0], [-1, rows, cols, -1]);
    const input = tf.transpose(used, [3, 1, 2, 0]); // [channels, rows, cols, batch]
    const filter = tf.transpose(dy, [1, 2, 0, 3]); // [outHeight, outWidth, batch, filters]
    const out = tf.conv2d(input, filter, dilations, 'valid', 'NHWC', strides); // [channels, kh, kw, filters]
    return tf.transpose(tf.slice(out, [0, 0, 0, 0], [channels, kh, kw, filters]), [1, 2, 0, 3]);
  });
}

/** The filter a dilated convolution applies, written out: `dilations - 1` zeros between neighbouring taps. */
export function dilateFilter(filter: tf.Tensor4D, dilations: [number, number]): tf.Tensor4D {
  const [kh, kw, channels, filters] = filter.shape;
  const [dh, dw] = dilations;
  const height = (kh - 1) * dh + 1;
  const width = (kw - 1) * dw + 1;
  return tf.tidy(() => {
    // Rows: each tap row followed by dh - 1 zero rows, the trailing zeros cut.
    const rows = tf.pad(tf.reshape(filter, [kh, 1, kw * channels * filters]), [
      [0, 0],
      [0, dh - 1],
      [0, 0],
    ]);
    const tall = tf.slice(tf.reshape(rows, [kh * dh, kw, channels, filters]), 0, [height, kw, channels, filters]);
    // Then columns, the same way.
    const cols = tf.pad(tf.reshape(tall, [height, kw, 1, channels * filters]), [
      [0, 0],
      [0, 0],
      [0, dw - 1],
      [0, 0],
    ]);
    return rank4(
      tf.slice(tf.reshape(cols, [height, kw * dw, channels, filters]), 0, [height, width, channels, filters]),
    );
  });
}

/** dx of a Conv2D: dy convolved back through the filter (dilated, so the transposed convolution needs none). */
export function conv2dInputGradient(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  dilations: [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => tf.conv2dTranspose(dy, dilateFilter(filter, dilations), xShape, strides, pad, dimRoundingMode));
}

/** dy with `strides - 1` zeros between neighbouring rows and columns: [b, (p - 1) * sh + 1, (q - 1) * sw + 1, o]. */
function spreadOut(dy: tf.Tensor4D, strides: [number, number]): tf.Tensor4D {
  const [batch, rows, cols, channels] = dy.shape;
  const [sh, sw] = strides;
  if (sh === 1 && sw === 1) return dy;
  const height = (rows - 1) * sh + 1;
  const width = (cols - 1) * sw + 1;
  return tf.tidy(() => {
    const tall = tf.pad(tf.reshape(dy, [batch, rows, 1, cols * channels]), [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
    ]);
    const rowsDone = tf.slice(tf.reshape(tall, [batch, rows * sh, cols, channels]), 0, [batch, height, cols, channels]);
    const wide = tf.pad(tf.reshape(rowsDone, [batch * height, cols, 1, channels]), [
      [0, 0],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    return rank4(tf.slice(tf.reshape(wide, [batch, height, cols * sw, channels]), 0, [batch, height, width, channels]));
  });
}

/**
 * dx of an undilated Conv2D as a plain convolution: dx[b, h, w, c] = sum over i, j, o of
 * spread(dy)[b, h + top - i, w + left - j, o] * filter[i, j, c, o], a correlation of the spread-out dy, padded by
 * `kernel - 1 - top` before and what makes the input's size after, with the filter flipped and its channel axes
 * swapped. Undefined where the forward padding exceeds the kernel (no such padding comes from 'same' or 'valid').
 */
export function conv2dInputGradientByConv(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D | undefined {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filter.shape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const [kh, kw] = filter.shape;
  const [, height, width] = xShape;
  const [, rows, cols] = dy.shape;
  const before = [kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left];
  const after = [
    height + kh - 1 - (before[0] ?? 0) - ((rows - 1) * strides[0] + 1),
    width + kw - 1 - (before[1] ?? 0) - ((cols - 1) * strides[1] + 1),
  ];
  if ([...before, ...after].some((size) => size < 0)) return undefined;
  return tf.tidy(() => {
    const padded = tf.pad(spreadOut(dy, strides), [
      [0, 0],
      [before[0] ?? 0, after[0] ?? 0],
      [before[1] ?? 0, after[1] ?? 0],
      [0, 0],
    ]);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
    return tf.conv2d(padded, rank4(flipped), 1, 'valid');
  });
}

/** The last two axes swapped. */
function swapLast(tensor: tf.Tensor): tf.Tensor {
  const axes = tensor.shape.map((_, axis) => axis);
  const last = axes.length - 1;
  return tf.transpose(tensor, [...axes.slice(0, -2), last, last - 1]);
}

/** Replaces wasm's Conv2DBackpropInput and BatchMatMul with their fast forms; the stock ones run the rest. */
function registerFastPaths(backendName: string): void {
  const stockMatMul = tf.getKernel('BatchMatMul', backendName);
  const stockInput = tf.getKernel('Conv2DBackpropInput', backendName);
  if (stockMatMul === undefined || stockInput === undefined) return;
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.unregisterKernel('Conv2DBackpropInput', backendName);
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      if (attrs?.transposeA !== true && attrs?.transposeB !== true) return stockMatMul.kernelFunc(args);
      // Plain matMul comes back here with no transposes, and runs the stock kernel.
      const result = tf.tidy(() => {
        const a = tensorOf(inputs.a, 'a', backend);
        const b = tensorOf(inputs.b, 'b', backend);
        return tf.matMul(attrs?.transposeA === true ? swapLast(a) : a, attrs?.transposeB === true ? swapLast(b) : b);
      });
      return adopt(result, backend);
    },
  });
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const shape = attrs?.inputShape;
      if (
        attrs?.dataFormat === 'NCHW' ||
        !Array.isArray(shape) ||
        shape.length !== 4 ||
        !shape.every((dim) => typeof dim === 'number')
      )
        return stockInput.kernelFunc(args);
      const [batch = 0, height = 0, width = 0, channels = 0] = shape;
      const result = tf.tidy(() =>
        conv2dInputGradientByConv(
          [batch, height, width, channels],
          rank4(tensorOf(inputs.dy, 'dy', backend)),
          rank4(tensorOf(inputs.filter, 'filter', backend)),
          pair(attrs?.strides, 'strides'),
          padding(attrs?.pad),
          roundingMode(attrs?.dimRoundingMode),
        ),
      );
      return result === undefined ? stockInput.kernelFunc(args) : adopt(result, backend);
    },
  });
}

/**
 * dx of a 2D max pool over NHWC data: each window's dy goes to its first maximum, row by row (the cpu backend's
 * rule); a window of NaNs only sends none. Padded cells are never a maximum.
 */
export function maxPoolGradient(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const dx = new Float32Array(batchSize * inHeight * inWidth * channels);
  const best = new Float32Array(channels);
  const where = new Int32Array(channels);
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * inWidth * channels;
    for (let p = 0; p < outHeight; p++) {
      const top = p * strideHeight - info.padInfo.top;
      const rowEnd = Math.min(inHeight, top + filterHeight);
      for (let q = 0; q < outWidth; q++) {
        const left = q * strideWidth - info.padInfo.left;
        const colEnd = Math.min(inWidth, left + filterWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        where.fill(-1);
        // Channels innermost: NHWC keeps a cell's channels side by side.
        for (let row = Math.max(0, top); row < rowEnd; row++)
          for (let col = Math.max(0, left); col < colEnd; col++) {
            const cell = image + (row * inWidth + col) * channels;
            for (let c = 0; c < channels; c++) {
              const value = x[cell + c] ?? Number.NaN;
              if (value > (best[c] ?? 0)) {
                best[c] = value;
                where[c] = cell + c;
              }
            }
          }
        for (let c = 0; c < channels; c++) {
          const at = where[c] ?? -1;
          if (at >= 0) dx[at] = (dx[at] ?? 0) + (dy[out + c] ?? 0);
        }
        out += channels;
      }
    }
  }
  return dx;
}

/**
 * dx of a 2D average pool over NHWC data: each window's dy shared equally by the input cells it covers (padding
 * excluded, as the forward pool counts them).
 */
export function avgPoolGradient(dy: Float32Array, info: tf.backend_util.Conv2DInfo): Float32Array {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const dx = new Float32Array(batchSize * inHeight * inWidth * channels);
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * inWidth * channels;
    for (let p = 0; p < outHeight; p++) {
      const top = p * strideHeight - info.padInfo.top;
      const rowStart = Math.max(0, top);
      const rowEnd = Math.min(inHeight, top + filterHeight);
      for (let q = 0; q < outWidth; q++) {
        const left = q * strideWidth - info.padInfo.left;
        const colStart = Math.max(0, left);
        const colEnd = Math.min(inWidth, left + filterWidth);
        const share = 1 / Math.max(1, (rowEnd - rowStart) * (colEnd - colStart));
        for (let row = rowStart; row < rowEnd; row++)
          for (let col = colStart; col < colEnd; col++) {
            const cell = image + (row * inWidth + col) * channels;
            for (let c = 0; c < channels; c++) dx[cell + c] = (dx[cell + c] ?? 0) + (dy[out + c] ?? 0) * share;
          }
        out += channels;
      }
    }
  }
  return dx;
}

/**
 * Replaces a pool's gradient kernel by `gradient` (given x's values, dy's values and the pool's geometry) for
 * float32 NHWC data; anything else goes to the stock kernel.
 */
function registerPoolGrad(
  kernelName: 'MaxPoolGrad' | 'AvgPoolGrad',
  backendName: string,
  gradient: (x: () => Float32Array | undefined, dy: Float32Array, info: tf.backend_util.Conv2DInfo) => Float32Array,
): void {
  const stock = tf.getKernel(kernelName, backendName);
  if (stock === undefined) return;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, input } = inputs;
      if (!(backend instanceof tf.KernelBackend) || dy === undefined || input === undefined)
        return stock.kernelFunc(args);
      const shape = input.shape;
      const [batch, height, width, channels] = shape;
      const values = backend.readSync(dy.dataId);
      if (
        batch === undefined ||
        height === undefined ||
        width === undefined ||
        channels === undefined ||
        !(values instanceof Float32Array)
      )
        return stock.kernelFunc(args);
      const info = tf.backend_util.computePool2DInfo(
        [batch, height, width, channels],
        pair(attrs?.filterSize, 'filterSize'),
        pair(attrs?.strides, 'strides'),
        1,
        padding(attrs?.pad),
        roundingMode(attrs?.dimRoundingMode),
      );
      const x = () => {
        const read = backend.readSync(input.dataId);
        return read instanceof Float32Array ? read : undefined;
      };
      return { dataId: backend.write(gradient(x, values, info), shape, 'float32'), shape, dtype: 'float32' };
    },
  });
}

/** wasm's MaxPoolGrad replaced (see the top of this file); a float32 pool reads float32 values. */
function registerMaxPoolGrad(backendName: string): void {
  registerPoolGrad('MaxPoolGrad', backendName, (x, dy, info) => {
    const values = x();
    if (values === undefined) throw new Error('kerats kernel: MaxPoolGrad supports float32 only');
    return maxPoolGradient(values, dy, info);
  });
}

/**
 * Visits every window of a 3D pool over NDHWC data: `visit(out, cells)` with the window's first output offset
 * (channel 0) and the offsets (channel 0) of the input cells it covers inside the input, depth, row and column in
 * order. Padded cells are not listed.
 */
function poolWindows3D(info: tf.backend_util.Conv3DInfo, visit: (out: number, cells: readonly number[]) => void): void {
  const { batchSize, inDepth, inHeight, inWidth, inChannels: channels, outDepth, outHeight, outWidth } = info;
  const { strideDepth, strideHeight, strideWidth, filterDepth, filterHeight, filterWidth, padInfo } = info;
  const cells: number[] = [];
  let out = 0;
  for (let b = 0; b < batchSize; b++)
    for (let d = 0; d < outDepth; d++) {
      const front = d * strideDepth - padInfo.front;
      for (let p = 0; p < outHeight; p++) {
        const top = p * strideHeight - padInfo.top;
        for (let q = 0; q < outWidth; q++) {
          const left = q * strideWidth - padInfo.left;
          cells.length = 0;
          for (let depth = Math.max(0, front); depth < Math.min(inDepth, front + filterDepth); depth++)
            for (let row = Math.max(0, top); row < Math.min(inHeight, top + filterHeight); row++)
              for (let col = Math.max(0, left); col < Math.min(inWidth, left + filterWidth); col++)
                cells.push((((b * inDepth + depth) * inHeight + row) * inWidth + col) * channels);
          visit(out, cells);
          out += channels;
        }
      }
    }
}

/** Each window's first maximum per channel (depth, row, column in order), or -1 for a window of NaNs only. */
function maxPositions3D(
  x: Float32Array,
  info: tf.backend_util.Conv3DInfo,
  use: (out: number, at: number) => void,
): void {
  const channels = info.inChannels;
  poolWindows3D(info, (out, cells) => {
    for (let c = 0; c < channels; c++) {
      let best = Number.NEGATIVE_INFINITY;
      let where = -1;
      for (const cell of cells) {
        const value = x[cell + c] ?? Number.NaN;
        if (value > best) {
          best = value;
          where = cell + c;
        }
      }
      use(out + c, where);
    }
  });
}

/** A 3D max pool over NDHWC data: each window's maximum (-Infinity for a window of NaNs only, as cpu's pool). */
export function maxPool3D(x: Float32Array, info: tf.backend_util.Conv3DInfo): Float32Array {
  const y = new Float32Array(info.outShape.reduce((product, dim) => product * dim, 1));
  maxPositions3D(x, info, (out, at) => {
    y[out] = at < 0 ? Number.NEGATIVE_INFINITY : (x[at] ?? Number.NaN);
  });
  return y;
}

/** dx of a 3D max pool over NDHWC data: each window's dy goes to its first maximum. */
export function maxPool3DGradient(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv3DInfo): Float32Array {
  const dx = new Float32Array(x.length);
  maxPositions3D(x, info, (out, at) => {
    if (at >= 0) dx[at] = (dx[at] ?? 0) + (dy[out] ?? 0);
  });
  return dx;
}

/** A 3D average pool over NDHWC data: each window's mean over the input cells it covers. */
export function avgPool3D(x: Float32Array, info: tf.backend_util.Conv3DInfo): Float32Array {
  const channels = info.inChannels;
  const y = new Float32Array(info.outShape.reduce((product, dim) => product * dim, 1));
  poolWindows3D(info, (out, cells) => {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (const cell of cells) sum += x[cell + c] ?? Number.NaN;
      y[out + c] = sum / Math.max(1, cells.length);
    }
  });
  return y;
}

/**
 * tfjs's 3D geometry with TensorFlow's 'same' padding: tfjs does not clamp the total padding at 0, so a pool
 * smaller than its stride gets a negative one (a window shifted past the input's start).
 */
export function samePadding3D(info: tf.backend_util.Conv3DInfo, pad: Pad): tf.backend_util.Conv3DInfo {
  if (pad !== 'same') return info;
  const before = (size: number, out: number, stride: number, window: number) =>
    Math.floor(Math.max((out - 1) * stride + window - size, 0) / 2);
  return {
    ...info,
    padInfo: {
      ...info.padInfo,
      front: before(info.inDepth, info.outDepth, info.strideDepth, info.effectiveFilterDepth),
      top: before(info.inHeight, info.outHeight, info.strideHeight, info.effectiveFilterHeight),
      left: before(info.inWidth, info.outWidth, info.strideWidth, info.effectiveFilterWidth),
    },
  };
}

/** dx of a 3D average pool over NDHWC data: each window's dy shared by the input cells it covers (as the forward). */
export function avgPool3DGradient(dy: Float32Array, info: tf.backend_util.Conv3DInfo): Float32Array {
  const channels = info.inChannels;
  const dx = new Float32Array(info.inShape.reduce((product, dim) => product * dim, 1));
  poolWindows3D(info, (out, cells) => {
    const share = 1 / Math.max(1, cells.length);
    for (const cell of cells)
      for (let c = 0; c < channels; c++) dx[cell + c] = (dx[cell + c] ?? 0) + (dy[out + c] ?? 0) * share;
  });
  return dx;
}

function triple(value: unknown, name: string): [number, number, number] {
  if (typeof value === 'number') return [value, value, value];
  if (Array.isArray(value) && value.length === 3 && value.every((entry) => typeof entry === 'number'))
    return [Number(value[0]), Number(value[1]), Number(value[2])];
  throw new Error(`kerats kernel: ${name} must be a number or a triple, got ${String(value)}`);
}

/**
 * Replaces a 3D pool kernel by `compute` (given the values of the kernel's `x` or `input`, of `dy` where it has one,
 * and the pool's geometry) for float32 NDHWC data; anything else goes to the stock kernel.
 */
function registerPool3D(
  kernelName: 'MaxPool3D' | 'AvgPool3D' | 'MaxPool3DGrad' | 'AvgPool3DGrad',
  backendName: string,
  compute: (x: Float32Array, dy: Float32Array | undefined, info: tf.backend_util.Conv3DInfo) => Float32Array,
): void {
  const stock = tf.getKernel(kernelName, backendName);
  if (stock === undefined) return;
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const input = inputs.x ?? inputs.input;
      const [batch, depth, height, width, channels] = input?.shape ?? [];
      if (
        !(backend instanceof tf.KernelBackend) ||
        input === undefined ||
        attrs?.dataFormat === 'NCDHW' ||
        batch === undefined ||
        depth === undefined ||
        height === undefined ||
        width === undefined ||
        channels === undefined
      )
        return stock.kernelFunc(args);
      const x = backend.readSync(input.dataId);
      const dy = inputs.dy === undefined ? undefined : backend.readSync(inputs.dy.dataId);
      if (!(x instanceof Float32Array) || (dy !== undefined && !(dy instanceof Float32Array)))
        return stock.kernelFunc(args);
      const pad = padding(attrs?.pad);
      if (typeof pad !== 'number' && typeof pad !== 'string') return stock.kernelFunc(args);
      const info = samePadding3D(
        tf.backend_util.computePool3DInfo(
          [batch, depth, height, width, channels],
          triple(attrs?.filterSize, 'filterSize'),
          triple(attrs?.strides, 'strides'),
          1,
          pad,
          roundingMode(attrs?.dimRoundingMode),
        ),
        pad,
      );
      const shape = kernelName === 'MaxPool3D' || kernelName === 'AvgPool3D' ? info.outShape : input.shape;
      return { dataId: backend.write(compute(x, dy, info), shape, 'float32'), shape, dtype: 'float32' };
    },
  });
}

function given(dy: Float32Array | undefined): Float32Array {
  if (dy === undefined) throw new Error('kerats kernel: a pool gradient needs dy');
  return dy;
}

/** The 3D pools replaced (see the top of this file). */
function registerPools3D(backendName: string): void {
  registerPool3D('MaxPool3D', backendName, (x, _, info) => maxPool3D(x, info));
  registerPool3D('AvgPool3D', backendName, (x, _, info) => avgPool3D(x, info));
  registerPool3D('MaxPool3DGrad', backendName, (x, dy, info) => maxPool3DGradient(x, given(dy), info));
  registerPool3D('AvgPool3DGrad', backendName, (_, dy, info) => avgPool3DGradient(given(dy), info));
}

/**
 * The depthwise filter [kh, kw, c, m] as the full filter [kh, kw, c, c * m] it equals: output channel c * m + k
 * reads only input channel c (zeros elsewhere). Its gradients are then those of a plain Conv2D (c times the work).
 */
function fullFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw, channels, multiplier] = filter.shape;
  return tf.tidy(() => {
    const diagonal = tf.reshape(tf.eye(channels), [1, 1, channels, channels, 1]);
    return rank4(
      tf.reshape(tf.mul(tf.reshape(filter, [kh, kw, channels, 1, multiplier]), diagonal), [
        kh,
        kw,
        channels,
        channels * multiplier,
      ]),
    );
  });
}

/** dx of a depthwise convolution: the input gradient of the full filter's Conv2D. */
export function depthwiseInputGradient(
  xShape: [number, number, number, number],
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: [number, number],
  dilations: [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  return tf.tidy(() => conv2dInputGradient(xShape, dy, fullFilter(filter), strides, dilations, pad, dimRoundingMode));
}

/** dW of a depthwise convolution: the full filter's gradient, read on its diagonal (output c * m + k of input c). */
export function depthwiseFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: Pad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): tf.Tensor4D {
  const [kh, kw, channels, multiplier] = filterShape;
  return tf.tidy(() => {
    const full = conv2dFilterGradient(
      x,
      dy,
      [kh, kw, channels, channels * multiplier],
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    const diagonal = tf.reshape(tf.eye(channels), [1, 1, channels, channels, 1]);
    return rank4(tf.sum(tf.mul(tf.reshape(full, [kh, kw, channels, channels, multiplier]), diagonal), 3));
  });
}

function quad(value: unknown, name: string): [number, number, number, number] {
  if (Array.isArray(value) && value.length === 4 && value.every((entry) => typeof entry === 'number'))
    return [Number(value[0]), Number(value[1]), Number(value[2]), Number(value[3])];
  throw new Error(`kerats kernel: ${name} must be 4 numbers, got ${String(value)}`);
}

/** wasm's missing depthwise backprop kernels (see the top of this file). */
function registerDepthwiseBackprop(backendName: string): void {
  for (const kernelName of ['DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'])
    if (tf.getKernel(kernelName, backendName) !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const result = tf.tidy(() =>
        depthwiseInputGradient(
          quad(attrs?.inputShape, 'inputShape'),
          rank4(tensorOf(inputs.dy, 'dy', backend)),
          rank4(tensorOf(inputs.filter, 'filter', backend)),
          pair(attrs?.strides, 'strides'),
          pair(attrs?.dilations ?? 1, 'dilations'),
          padding(attrs?.pad),
          roundingMode(attrs?.dimRoundingMode),
        ),
      );
      return adopt(result, backend);
    },
  });
  tf.registerKernel({
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const result = tf.tidy(() =>
        depthwiseFilterGradient(
          rank4(tensorOf(inputs.x, 'x', backend)),
          rank4(tensorOf(inputs.dy, 'dy', backend)),
          quad(attrs?.filterShape, 'filterShape'),
          pair(attrs?.strides, 'strides'),
          pair(attrs?.dilations ?? 1, 'dilations'),
          padding(attrs?.pad),
          roundingMode(attrs?.dimRoundingMode),
        ),
      );
      return adopt(result, backend);
    },
  });
}

let gradientsRegistered = false;

/**
 * Gives Conv2D and DepthwiseConv2dNative a gradient with dilations, on every backend; without dilations tfjs's own
 * gradient runs (once).
 */
export function registerGradients(): void {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  const stock = tf.getGradient('Conv2D');
  tf.registerGradient({
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const dilations = pair(attrs.dilations ?? 1, 'dilations');
      if (stock !== undefined && dilations[0] === 1 && dilations[1] === 1) return stock.gradFunc(dy, saved, attrs);
      if (attrs.dataFormat === 'NCHW') throw new Error('kerats gradient: a dilated Conv2D supports NHWC only');
      const [x, filter] = saved.map(rank4);
      if (x === undefined || filter === undefined || Array.isArray(dy))
        throw new Error('kerats gradient: Conv2D saved no input or filter');
      const [batch, height, width, channels] = x.shape;
      const strides = pair(attrs.strides, 'strides');
      const pad = padding(attrs.pad);
      const rounding = roundingMode(attrs.dimRoundingMode);
      const gradient = rank4(dy);
      return {
        x: () =>
          conv2dInputGradient([batch, height, width, channels], gradient, filter, strides, dilations, pad, rounding),
        filter: () => {
          const [kh = 0, kw = 0, inChannels = 0, filters = 0] = filter.shape;
          return conv2dFilterGradient(x, gradient, [kh, kw, inChannels, filters], strides, dilations, pad, rounding);
        },
      };
    },
  });
  // NotEqual and Any have no gradient in tfjs, so Masking (input * any(input != maskValue)) stopped training: the
  // boolean mask is piecewise constant, its gradient zero, as TensorFlow treats both (not differentiable) and as
  // tfjs's own GreaterEqual gradient does.
  for (const kernelName of ['NotEqual', 'Any'])
    if (tf.getGradient(kernelName) === undefined)
      tf.registerGradient({
        kernelName,
        inputsToSave: kernelName === 'Any' ? ['x'] : ['a', 'b'],
        gradFunc: (_dy, saved) =>
          Object.fromEntries(
            (kernelName === 'Any' ? ['x'] : ['a', 'b']).map((name, index) => [
              name,
              () => tf.zerosLike(tf.cast(saved[index] ?? tf.scalar(0), 'float32')),
            ]),
          ),
      });
  const stockDepthwise = tf.getGradient('DepthwiseConv2dNative');
  tf.registerGradient({
    kernelName: 'DepthwiseConv2dNative',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const dilations = pair(attrs.dilations ?? 1, 'dilations');
      if (stockDepthwise !== undefined && dilations[0] === 1 && dilations[1] === 1)
        return stockDepthwise.gradFunc(dy, saved, attrs);
      const [x, filter] = saved.map(rank4);
      if (x === undefined || filter === undefined || Array.isArray(dy))
        throw new Error('kerats gradient: DepthwiseConv2dNative saved no input or filter');
      const strides = pair(attrs.strides, 'strides');
      const pad = padding(attrs.pad);
      const rounding = roundingMode(attrs.dimRoundingMode);
      const gradient = rank4(dy);
      return {
        x: () =>
          depthwiseInputGradient(
            [x.shape[0], x.shape[1], x.shape[2], x.shape[3]],
            gradient,
            filter,
            strides,
            dilations,
            pad,
            rounding,
          ),
        filter: () => depthwiseFilterGradient(x, gradient, filter.shape, strides, dilations, pad, rounding),
      };
    },
  });
}

function rank4(tensor: tf.Tensor): tf.Tensor4D {
  const [a, b, c, d] = tensor.shape;
  if (tensor.rank !== 4 || a === undefined || b === undefined || c === undefined || d === undefined)
    throw new Error(`kerats kernel: expected a rank-4 tensor, got shape [${tensor.shape.join(', ')}]`);
  return tensor.as4D(a, b, c, d);
}

function roundingMode(value: unknown): 'floor' | 'round' | 'ceil' | undefined {
  return value === 'floor' || value === 'round' || value === 'ceil' ? value : undefined;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

function padding(value: unknown): Pad {
  if (value === 'valid' || value === 'same' || typeof value === 'number') return value;
  if (Array.isArray(value) && value.length === 4) {
    const pairs = value.map((entry: unknown) => (Array.isArray(entry) ? entry.map(Number) : []));
    const [n, h, w, c] = pairs;
    if (n && h && w && c && pairs.every((entry) => entry.length === 2))
      return [
        [n[0] ?? 0, n[1] ?? 0],
        [h[0] ?? 0, h[1] ?? 0],
        [w[0] ?? 0, w[1] ?? 0],
        [c[0] ?? 0, c[1] ?? 0],
      ];
  }
  throw new Error(`kerats kernel: unsupported padding ${JSON.stringify(value)}`);
}

/** out[s, ...] = sum of x[n, ...] over the n with segmentIds[n] = s, for s < numSegments. */
export function unsortedSegmentSum(x: tf.Tensor, segmentIds: tf.Tensor, numSegments: number): tf.Tensor {
  return tf.tidy(() => {
    const ids = segmentIds.dtype === 'int32' ? segmentIds : tf.cast(segmentIds, 'int32');
    const rows = ids.size;
    const updates = tf.reshape(x, [rows, ...x.shape.slice(ids.rank)]);
    return tf.scatterND(tf.reshape(ids, [rows, 1]), updates, [numSegments, ...x.shape.slice(ids.rank)]);
  });
}

/** Registers the replacement kernels on `backendName` if it is one that needs them (once), and the gradients. */
export function registerGradientKernels(backendName: string): void {
  registerGradients();
  if (!replaced.has(backendName) || done.has(backendName)) return;
  done.add(backendName);
  if (backendName === 'wasm') {
    registerFastPaths(backendName);
    registerMaxPoolGrad(backendName);
    registerDepthwiseBackprop(backendName);
  }
  registerPools3D(backendName);
  registerPoolGrad('AvgPoolGrad', backendName, (_, dy, info) => avgPoolGradient(dy, info));
  for (const kernelName of ['Conv2DBackpropFilter', 'UnsortedSegmentSum'])
    if (tf.getKernel(kernelName, backendName) !== undefined) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (attrs?.dataFormat === 'NCHW') throw new Error('kerats kernel: Conv2DBackpropFilter supports NHWC only');
      const shape = attrs?.filterShape;
      if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((dim) => typeof dim === 'number'))
        throw new Error('kerats kernel: Conv2DBackpropFilter needs a filterShape of 4 numbers');
      const [kh = 0, kw = 0, channels = 0, filters = 0] = shape;
      const rounding = roundingMode(attrs?.dimRoundingMode);
      const result = tf.tidy(() =>
        conv2dFilterGradient(
          rank4(tensorOf(inputs.x, 'x', backend)),
          rank4(tensorOf(inputs.dy, 'dy', backend)),
          [kh, kw, channels, filters],
          pair(attrs?.strides, 'strides'),
          pair(attrs?.dilations ?? 1, 'dilations'),
          padding(attrs?.pad),
          rounding,
        ),
      );
      return adopt(result, backend);
    },
  });
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const numSegments = attrs?.numSegments;
      if (typeof numSegments !== 'number') throw new Error('kerats kernel: UnsortedSegmentSum needs numSegments');
      const result = tf.tidy(() =>
        unsortedSegmentSum(
          tensorOf(inputs.x, 'x', backend),
          tensorOf(inputs.segmentIds, 'segmentIds', backend),
          numSegments,
        ),
      );
      return adopt(result, backend);
    },
  });
}
