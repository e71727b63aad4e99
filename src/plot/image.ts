// Writing a drawing to a file: SVG as it is, PNG rendered by resvg with fonts shipped in the package (DejaVu
// Sans, from npm), so the picture is the same on every machine, with or without system fonts.
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fail } from '../errors.ts';
import { writeFileAtomically } from '../files.ts';

export type ImageFormat = 'svg' | 'png';

const formats: Readonly<Record<string, ImageFormat>> = { '.svg': 'svg', '.png': 'png' };

/** The format a file name asks for, by its extension. */
export function imageFormat(path: string, layer: string): ImageFormat {
  return formats[extname(path).toLowerCase()] ?? fail({ code: 'file-format', layer, path, expected: ['.svg', '.png'] });
}

/** PNG bytes of an SVG drawing, at twice its size so that text stays sharp. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  const require = createRequire(import.meta.url);
  const fonts = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
    require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
  );
  const renderer = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: fonts, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
  });
  return renderer.render().asPng();
}

/** Writes the drawing to `path` as SVG or PNG (by its extension), replacing the file in one rename. */
export async function writeImage(path: string, svg: string, context: { readonly layer: string }): Promise<void> {
  const format = imageFormat(path, context.layer);
  await writeFileAtomically(path, format === 'svg' ? svg : await svgToPng(svg));
}

/**
 * Makes a drawing and, given `toFile`, writes it there; a wrong file name is reported before anything is drawn.
 * Returns the SVG text.
 */
export async function drawTo(toFile: string | undefined, layer: string, draw: () => Promise<string>): Promise<string> {
  if (toFile !== undefined) imageFormat(toFile, layer);
  const svg = await draw();
  if (toFile !== undefined) await writeImage(toFile, svg, { layer });
  return svg;
}
