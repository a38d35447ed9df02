/**
 * ffmpeg reads "http:x", "concat:a|b" or "-y" as protocols/options. Prefixing a local path with the explicit
 * `file:` protocol makes it mean exactly that file, whatever its name.
 */
export function localInput(path: string): string {
  return path.startsWith('file:') ? path : `file:${path}`;
}
