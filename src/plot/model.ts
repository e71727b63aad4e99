// plot_model: the model's graph as Keras's `plot_model(model, show_shapes=True)` draws it, one box per layer
// with its name, class and shapes, and an edge for each tensor passed between layers. Graphviz lays it out (its
// WebAssembly build, @viz-js/viz, so nothing needs installing); this file only describes the graph in DOT.
import type { LayerCore } from '../dsl/layer.ts';
import type { Functional } from '../dsl/model.ts';
import { kerasShape } from '../dsl/summary.ts';
import type { AnyTensor, GraphNode } from '../dsl/tensor.ts';
import { drawTo } from './image.ts';

export interface PlotModelOptions {
  /** Input and output shapes in each box, as `show_shapes`. Default true. */
  readonly showShapes?: boolean;
  /** Output dtypes in each box, as `show_dtype`. Default false. */
  readonly showDtype?: boolean;
  /** `TB` (top to bottom, the default) or `LR` (left to right), as `rankdir`. */
  readonly rankdir?: 'TB' | 'LR';
  /** Draws each nested model's layers inside a dashed box named after it, as `expand_nested`. Default false. */
  readonly expandNested?: boolean;
}

/** Text for an HTML-like Graphviz label: layer names are the user's and may hold `<` or `&`. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function shapes(tensors: readonly AnyTensor[]): string {
  const cells = tensors.map((tensor) => kerasShape(tensor.shape));
  return cells.length === 1 ? (cells[0] ?? '') : `[${cells.join(', ')}]`;
}

/** One line per distinct value: a shared layer called with the same shapes twice shows them once. */
function lines(values: readonly string[]): string {
  return [...new Set(values)].map(html).join('<br/>');
}

function label(layerName: string, className: string, calls: readonly GraphNode[], options: PlotModelOptions): string {
  const header = `<tr><td colspan="2" bgcolor="#dbe7f3"><b>${html(layerName)}</b> (${html(className)})</td></tr>`;
  const rows: string[] = [];
  if (options.showShapes ?? true) {
    // An InputLayer has no input of its own; Keras shows its shape on both sides.
    const inputs = calls.map((call) => shapes(call.inputs.length > 0 ? call.inputs : call.outputs));
    const outputs = calls.map((call) => shapes(call.outputs));
    rows.push(
      '<tr><td><font point-size="10">Input shape</font></td><td><font point-size="10">Output shape</font></td></tr>',
      `<tr><td>${lines(inputs)}</td><td>${lines(outputs)}</td></tr>`,
    );
  }
  if (options.showDtype ?? false) {
    const dtypes = calls.flatMap((call) => call.outputs.map((tensor) => tensor.dtype));
    rows.push(`<tr><td>dtype</td><td>${lines(dtypes)}</td></tr>`);
  }
  return `<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">${header}${rows.join('')}</table>>`;
}

/** The model's graph in Graphviz's DOT language: a node per layer, an edge per tensor between layers. */
export function modelToDot(model: Functional, options: PlotModelOptions = {}): string {
  const out = [
    // The graph is not named: a model name is free text, and DOT escapes differ from JSON's.
    'digraph {',
    `  graph [rankdir=${options.rankdir ?? 'TB'}, nodesep=0.3, ranksep=0.4, bgcolor="white"];`,
    '  node [shape=plain, fontname="DejaVu Sans", fontsize=12];',
    '  edge [arrowsize=0.7];',
  ];
  const edges = new Set<string>();
  drawGraph(model, 'layer', '  ', options, out, edges);
  out.push('}');
  return out.join('\n');
}

/** Where an expanded nested model's tensors enter and leave it: the boxes of its inputs and outputs. */
interface Ends {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * Draws a model's layers (ids prefixed by `prefix`, so that a nested model's do not clash) and the edges between
 * them; an expanded nested model is a cluster, and the edges into and out of it go to its inner boxes.
 */
function drawGraph(
  model: Functional,
  prefix: string,
  indent: string,
  options: PlotModelOptions,
  out: string[],
  edges: Set<string>,
): Ends {
  const ids = new Map(model.layers.map((layer, index) => [layer, `${prefix}${index}`]));
  const expanded = new Map<LayerCore, Ends>();
  for (const layer of model.layers) {
    const id = ids.get(layer) ?? '';
    const inner = options.expandNested ? layer.spec.model : undefined;
    if (inner === undefined) {
      const calls = model.nodes.filter((node) => node.layer === layer);
      out.push(`${indent}${id} [label=${label(layer.name, layer.className, calls, options)}];`);
      continue;
    }
    out.push(
      `${indent}subgraph cluster_${id} {`,
      `${indent}  label=<${html(layer.name)} (${html(layer.className)})>; style=dashed; fontname="DejaVu Sans";`,
    );
    expanded.set(layer, drawGraph(inner, `${id}_`, `${indent}  `, options, out, edges));
    out.push(`${indent}}`);
  }
  const source = (tensor: AnyTensor): string =>
    expanded.get(tensor.node.layer)?.outputs[tensor.index] ?? ids.get(tensor.node.layer) ?? '';
  // In data-flow order (model.nodes is sorted by depth); a tensor read twice by one layer is drawn once.
  for (const node of model.nodes)
    for (const [index, tensor] of node.inputs.entries()) {
      const target = expanded.get(node.layer)?.inputs[index] ?? ids.get(node.layer) ?? '';
      const edge = `  ${source(tensor)} -> ${target};`;
      if (!edges.has(edge)) {
        edges.add(edge);
        out.push(edge);
      }
    }
  return {
    inputs: model.inputs.map((input) => ids.get(input.node.layer) ?? ''),
    outputs: model.outputs.map(source),
  };
}

/** The model's graph drawn by Graphviz, as SVG text. */
export async function modelToSvg(model: Functional, options: PlotModelOptions = {}): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(modelToDot(model, options), { format: 'svg', engine: 'dot' });
}

/**
 * Draws the model as Keras's `plot_model` does and writes it to `toFile` (`.svg` or `.png`, by the name).
 * Returns the SVG text.
 * @example await plotModel(model, { toFile: 'model.png' })
 */
export async function plotModel(
  model: Functional,
  options: PlotModelOptions & { readonly toFile?: string } = {},
): Promise<string> {
  return drawTo(options.toFile, 'plotModel', () => modelToSvg(model, options));
}
