// A file the user picked or dropped, made ready for the engine Worker and the preview.
import { MAX_KEPT } from './setup.mjs';

/** The largest file the playground takes. */
export const MAX_FILE_BYTES = 200_000_000;

/** How much of a bigger file the page reads: the preview's rows and its line estimate. */
const HEAD_BYTES = 256 * 1024;

/**
 * A picked File for the engine Worker, which reads the File itself (it crosses without a copy).
 * The page decodes only what it shows: a file small enough to keep for a reload whole (`text`;
 * its bytes bound its characters), a bigger one's first 256 KB (`head`, for the preview).
 * Decoding a 54 MB file on the main thread cost tasks of 55 ms and held the whole text in the
 * page for nothing.
 */
export async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the playground takes files up to ${MAX_FILE_BYTES / 1e6} MB`);
  const base = { name: 'file', label: file.name, bytes: file.size, file };
  if (file.size <= MAX_KEPT) return { ...base, text: await file.text() };
  // A character cut at the slice's end is left out (stream mode keeps it for a next call).
  const head = new TextDecoder().decode(new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer()), { stream: true });
  return { ...base, head };
}
