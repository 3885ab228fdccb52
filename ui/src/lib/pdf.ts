// Renders a PDF's pages to images inside the window with PDF.js. Vite bundles the library
// and its worker into the app (the worker is a file of the app, started as a Worker), so
// nothing is fetched at run time; no eval, no WebAssembly.
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import PdfWorker from 'pdfjs-dist/build/pdf.worker.min.mjs?worker';

/** One rendered page: an object URL of a PNG and its size in pixels. */
export interface PageImage {
  url: string;
  width: number;
  height: number;
}

let worker: Worker | null = null;

/** The bytes of a base64 string (what the commands send a PDF as). */
export function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Every page of the PDF as a PNG at `dpi` (sharp enough to print). Stops early, returning
 * what it has, once `wanted()` turns false (a newer version is being shown); the caller
 * frees the URLs with `releasePages`.
 */
export async function renderPdf(bytes: Uint8Array, dpi: number, wanted: () => boolean): Promise<PageImage[]> {
  if (!worker) {
    worker = new PdfWorker();
    GlobalWorkerOptions.workerPort = worker;
  }
  const doc = await getDocument({ data: bytes, isEvalSupported: false, useWasm: false, enableXfa: false }).promise;
  const pages: PageImage[] = [];
  try {
    for (let n = 1; n <= doc.numPages && wanted(); n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: dpi / 72 });
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(viewport.width);
      canvas.height = Math.round(viewport.height);
      await page.render({ canvas, viewport, background: '#ffffff' }).promise;
      const blob = await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('Không dựng được ảnh trang văn bản.'))), 'image/png'),
      );
      pages.push({ url: URL.createObjectURL(blob), width: canvas.width, height: canvas.height });
      page.cleanup();
      // Free the bitmap now rather than when the canvas is collected.
      canvas.width = 0;
      canvas.height = 0;
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}
