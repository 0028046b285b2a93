// The last lines of a command's output, in bounded memory: a deploy that prints megabytes keeps only
// its last few KB, because the thread shows a tail and nobody reads the rest there.

// eslint-disable-next-line no-control-regex -- ANSI colour codes are control characters by definition
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export interface TailLimits {
  maxBytes: number;
  maxLines: number;
}

export const DEFAULT_TAIL: TailLimits = { maxBytes: 4096, maxLines: 40 };

export class TailBuffer {
  private kept: Buffer = Buffer.alloc(0);
  private total = 0;

  constructor(private readonly limits: TailLimits = DEFAULT_TAIL) {}

  push(chunk: Buffer | string): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.total += bytes.length;
    // Keep twice the byte limit so a long last line does not starve the line count before trimming.
    const keep = this.limits.maxBytes * 2;
    if (bytes.length >= keep) {
      this.kept = Buffer.from(bytes.subarray(bytes.length - keep));
    } else {
      const joined = Buffer.concat([this.kept, bytes]);
      this.kept = joined.length > keep ? joined.subarray(joined.length - keep) : joined;
    }
  }

  /** Bytes seen in all, including those dropped. */
  get totalBytes(): number {
    return this.total;
  }

  /** The last maxLines lines within maxBytes, ANSI colours removed, `\r` progress bars collapsed. */
  text(): string {
    let bytes = this.kept.subarray(Math.max(0, this.kept.length - this.limits.maxBytes));
    // Do not start in the middle of a UTF-8 character (continuation bytes are 10xxxxxx).
    let start = 0;
    while (start < bytes.length && start < 4 && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
    bytes = bytes.subarray(start);
    const lines = bytes
      .toString('utf8')
      .replace(ANSI, '')
      .split('\n')
      .map((line) => {
        const trimmed = line.replace(/\r+$/, '');
        const cr = trimmed.lastIndexOf('\r');
        return cr === -1 ? trimmed : trimmed.slice(cr + 1);
      });
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.slice(-this.limits.maxLines).join('\n');
  }
}

/** The first maxBytes of a response body (the start says most: the error message). */
export function headOf(body: string, maxBytes = 2048): string {
  const bytes = Buffer.from(body);
  if (bytes.length <= maxBytes) return body;
  return `${bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '')}…`;
}
