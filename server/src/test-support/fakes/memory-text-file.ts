import type { TextFile } from '../../adapters/fs/text-file.js';

/** A TextFile in memory; `missing` until written, like a file that is not there yet. */
export class MemoryTextFile implements TextFile {
  constructor(public content: string | null = null) {}

  read(): Promise<string> {
    if (this.content === null) return Promise.reject(new Error('ENOENT: no such file'));
    return Promise.resolve(this.content);
  }

  append(text: string): Promise<void> {
    this.content = (this.content ?? '') + text;
    return Promise.resolve();
  }

  write(text: string): Promise<void> {
    this.content = text;
    return Promise.resolve();
  }
}
