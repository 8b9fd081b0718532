import { appendFile, readFile, writeFile } from 'node:fs/promises';

/** One local text file, behind an interface so a unit test keeps it in memory (MemoryTextFile). */
export interface TextFile {
  read(): Promise<string>;
  append(text: string): Promise<void>;
  /** Replaces the whole content. */
  write(text: string): Promise<void>;
}

export function localTextFile(path: string): TextFile {
  return {
    read: () => readFile(path, 'utf8'),
    append: (text) => appendFile(path, text),
    write: (text) => writeFile(path, text),
  };
}
