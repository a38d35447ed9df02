/**
 * File-system checks before ffprobe sees a path, so the common mistakes get specific codes and messages
 * instead of an ffprobe stderr line: missing, a directory, empty.
 */
import { stat } from 'node:fs/promises';
import { MetacamError } from '../errors.js';

export async function checkInputFile(path: string): Promise<{ size: number }> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new MetacamError('E_INPUT_MISSING', `Input "${path}" does not exist. Check the path (relative paths start at ${process.cwd()}).`, { cause: e });
    }
    throw new MetacamError('E_INPUT_INVALID', `Input "${path}" cannot be read (${code}). Check its permissions.`, { cause: e });
  }
  if (!st.isFile()) {
    throw new MetacamError('E_INPUT_NOT_FILE',
      `Input "${path}" is ${st.isDirectory() ? 'a directory' : 'not a regular file'}. Give the path of a video file inside it.`);
  }
  if (st.size === 0) {
    throw new MetacamError('E_INPUT_EMPTY', `Input "${path}" is empty (0 bytes). Re-copy or re-export the video.`);
  }
  return { size: st.size };
}
