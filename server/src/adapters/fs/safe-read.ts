import { constants, existsSync, type Stats } from 'node:fs';
import { lstat, open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reading inside repositories, whose content the hive does not control: an IMPORT repository is
 * written by rsync, and anything there may be a FIFO, a device, a symbolic link (to /dev/zero, to a
 * file elsewhere, to /) or a huge sparse file. Every read of a repository goes through here:
 * - a symbolic link is never followed (lstat, O_NOFOLLOW), not at the name itself, and not at the
 *   repository directory, whose handle is held while its entries are looked at;
 * - a file is opened non-blocking (a FIFO opens at once instead of waiting for a writer), checked with
 *   fstat to be a regular file, and read only up to a size cap; anything else is closed unread;
 * so no read blocks a thread of the pool (which logins and static files share), or grows without bound.
 */
const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_NOCTTY, O_DIRECTORY } = constants;

/** Linux: `/proc/self/fd/<n>/<name>` looks `<name>` up in the directory open as `<n>`, whatever its path became. */
const FD_ROOT = existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;

export type SmallFile = { text: string } | 'missing' | 'refused';

/** lstat (never follows a link); null when the path does not exist or cannot be looked at. */
export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch {
    return null;
  }
}

/**
 * A small regular file's text. 'missing' when nothing is there; 'refused' when it is anything but a
 * regular file of at most `maxBytes` (a link, FIFO, socket, device, directory, or too large), or
 * cannot be read. Opened non-blocking, never through a link and never as a controlling terminal, then
 * checked with fstat before anything is read; reads at most `maxBytes + 1` bytes, whatever the file
 * claims or becomes. As few system calls as readFile (the watcher reads rosters while borg holds them).
 */
export async function readSmallFile(path: string, maxBytes: number): Promise<SmallFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'refused';
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.size > maxBytes) return 'refused';
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let length = 0;
    // regular files read in full at once; loop only when a read came back short of what fstat said
    do {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    } while (length < stats.size && length < buffer.length);
    return length > maxBytes ? 'refused' : { text: buffer.toString('utf8', 0, length) };
  } catch {
    return 'refused';
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * An open directory, reached without following a link at its own name: its entries are listed and
 * looked up through the handle (on Linux), so swapping the path for a link meanwhile changes nothing.
 */
export class DirectoryHandle {
  private constructor(
    readonly path: string,
    readonly stats: Stats,
    private readonly handle: FileHandle,
  ) {}

  /** null when `path` is missing, a link, or anything but a directory. */
  static async open(path: string): Promise<DirectoryHandle | null> {
    let handle: FileHandle;
    try {
      handle = await open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
    } catch {
      return null;
    }
    try {
      const stats = await handle.stat();
      if (stats.isDirectory()) return new DirectoryHandle(path, stats, handle);
    } catch {
      // fall through: not usable
    }
    await handle.close().catch(() => undefined);
    return null;
  }

  /** A path naming the entry `name` of this very directory. */
  entry(name: string): string {
    return FD_ROOT ? `${FD_ROOT}/${this.handle.fd}/${name}` : join(this.path, name);
  }

  /** The names in the directory ([] when it cannot be read). */
  async names(): Promise<string[]> {
    try {
      return await readdir(FD_ROOT ? `${FD_ROOT}/${this.handle.fd}` : this.path);
    } catch {
      return [];
    }
  }

  lstat(name: string): Promise<Stats | null> {
    return lstatOrNull(this.entry(name));
  }

  readSmallFile(name: string, maxBytes: number): Promise<SmallFile> {
    return readSmallFile(this.entry(name), maxBytes);
  }

  /** chown of the directory itself (never of what a link points to). */
  chown(uid: number, gid: number): Promise<void> {
    return this.handle.chown(uid, gid);
  }

  chmod(mode: number): Promise<void> {
    return this.handle.chmod(mode);
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Runs `use` with the directory open (see DirectoryHandle); `absent` when it cannot be opened. */
export async function withDirectory<T>(
  path: string,
  absent: T,
  use: (dir: DirectoryHandle) => Promise<T>,
): Promise<T> {
  const dir = await DirectoryHandle.open(path);
  if (!dir) return absent;
  try {
    return await use(dir);
  } finally {
    await dir.close();
  }
}
