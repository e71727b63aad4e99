// Writing files so that a crash or a kill mid-write never leaves a half-written file where a user's was, and
// reading files that may be hostile (links, FIFOs, devices, sizes) without hanging or reading without bound.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes and flushes `data` to `path` (replacing it). Not atomic on its own: see writeFileAtomically. */
export async function writeDurably(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (a rename in it) to disk. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Replaces `path` with `data` in one rename: readers see the old file or the whole new one, never a part. */
export async function writeFileAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeDurably(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/** Why a file cannot be read as a plain file: it is absent, a link, not a regular file, or too large. */
export type ReadProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'link' }
  | { readonly kind: 'not-a-file' }
  | { readonly kind: 'too-large'; readonly size: number };

/**
 * A regular file, opened without following a symbolic link at its last step and without blocking (a FIFO would
 * otherwise hang the open). The handle keeps the file's bytes readable even if a writer deletes the name after.
 */
export class RegularFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<RegularFile | ReadProblem> {
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      if (code === 'ELOOP' || code === 'EMLINK') return { kind: 'link' };
      throw error;
    }
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return { kind: 'not-a-file' };
    }
    return new RegularFile(handle, info.size);
  }

  /** Reads the whole file, which must still be `size` bytes long (never more than that is read). */
  async read(): Promise<Buffer> {
    const data = Buffer.alloc(this.size);
    let offset = 0;
    while (offset < this.size) {
      const { bytesRead } = await this.handle.read(data, offset, this.size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return offset === this.size ? data : data.subarray(0, offset);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Reads a regular file of at most `limit` bytes, or says why it cannot. */
export async function readRegularFile(path: string, limit: number): Promise<Buffer | ReadProblem> {
  const file = await RegularFile.open(path);
  if (!(file instanceof RegularFile)) return file;
  try {
    if (file.size > limit) return { kind: 'too-large', size: file.size };
    return await file.read();
  } finally {
    await file.close();
  }
}
