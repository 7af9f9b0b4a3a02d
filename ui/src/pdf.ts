// pdf.js for the page viewer: one worker for the app's lifetime, documents opened once per material and
// kept. The legacy build: WebKitGTK lacks some of what the modern build assumes. CJK character maps,
// standard fonts, image decoders and colour profiles are the app's own (/pdfjs/…, copied by vite.config.ts);
// nothing is fetched from elsewhere. This module is loaded on first use (it is large), and warmed up while
// the expert reads the scoring screen so that the first page opens at once.
import { getDocument, GlobalWorkerOptions, PDFWorker, TextLayer, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist/legacy/build/pdf.mjs'
import workerSrc from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url'

GlobalWorkerOptions.workerSrc = workerSrc

// WebKitGTK's ReadableStream cannot be iterated with `for await`, which pdf.js uses for page text.
const streams = ReadableStream.prototype as unknown as Record<symbol, unknown>
if (typeof streams[Symbol.asyncIterator] !== 'function') {
  streams[Symbol.asyncIterator] = async function* (this: ReadableStream) {
    const reader = this.getReader()
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        yield value
      }
    } finally {
      reader.releaseLock()
    }
  }
}

let worker: PDFWorker | null = null
/** The app's one pdf.js worker, started now if it is not running yet. */
export function warm(): PDFWorker {
  worker ??= new PDFWorker()
  return worker
}

const documents = new Map<string, Promise<PDFDocumentProxy>>()
/** A material's document, opened once (`key` names it; `bytes` reads it when it is not open yet). */
export function openDocument(key: string, bytes: () => Promise<ArrayBuffer>): Promise<PDFDocumentProxy> {
  let p = documents.get(key)
  if (!p) {
    p = bytes().then(
      (b) =>
        getDocument({
          data: new Uint8Array(b),
          worker: warm(),
          cMapUrl: '/pdfjs/cmaps/',
          cMapPacked: true,
          standardFontDataUrl: '/pdfjs/standard_fonts/',
          wasmUrl: '/pdfjs/wasm/',
          iccUrl: '/pdfjs/iccs/',
          isEvalSupported: false,
        }).promise,
    )
    p.catch(() => documents.delete(key))
    documents.set(key, p)
  }
  return p
}

export { TextLayer, type PDFDocumentProxy, type RenderTask }

/** Opens a document and draws its first page off screen, so that its fonts are loaded and the page the
 * expert opens first is drawn at once. Errors are left for the viewer to report. */
export async function prefetch(key: string, bytes: () => Promise<ArrayBuffer>): Promise<void> {
  try {
    const doc = await openDocument(key, bytes)
    const page = await doc.getPage(1)
    const viewport = page.getViewport({ scale: 0.5 })
    const canvas = document.createElement('canvas')
    canvas.width = Math.ceil(viewport.width)
    canvas.height = Math.ceil(viewport.height)
    await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise
    await page.getTextContent()
  } catch {
    // The viewer shows what is wrong when the page is opened.
  }
}
