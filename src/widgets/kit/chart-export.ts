/** Turns a widget's charts into one SVG or PNG file and starts the download. */
import type { ExportedSVG } from '~/charts/chart-frame';

/** Stacks chart SVGs vertically into one standalone SVG document. */
export function stackSVGs(parts: readonly ExportedSVG[], background: string): ExportedSVG {
  const width = Math.max(1, ...parts.map((part) => part.width));
  let offset = 0;
  const nested = parts.map((part) => {
    const placed = part.svg.replace(/^<svg\b/, `<svg x="0" y="${offset}"`);
    offset += part.height;
    return placed;
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${offset}" viewBox="0 0 ${width} ${offset}">` +
    `<rect width="${width}" height="${offset}" fill="${background}"/>${nested.join('')}</svg>`;
  return { svg, width, height: offset };
}

/** Starts a download of `blob` named `fileName`. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start reading the blob before it is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Rasterises an SVG at `scale` × its size (2 = crisp on high-density screens) into a PNG blob. */
export async function svgToPNG(exported: ExportedSVG, scale = 2): Promise<Blob> {
  const image = new Image();
  const url = URL.createObjectURL(new Blob([exported.svg], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(exported.width * scale);
    canvas.height = Math.round(exported.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw the chart into an image.');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, exported.width, exported.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The PNG could not be made.'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}
