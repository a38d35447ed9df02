import { describe, expect, it } from 'vitest';
import { concatList, joinArgs } from './join-segments.js';

describe('join argv', () => {
  it('concat list: one file line per segment, single quotes escaped the way the demuxer reads them', () => {
    expect(concatList(['/s/seg-00000.mp4', "/s/it's/seg-00001.mp4"])).toBe("file '/s/seg-00000.mp4'\nfile '/s/it'\\''s/seg-00001.mp4'\n");
  });

  it('copies the video (no re-encode), takes audio from the source when it has some, fragmented MP4 like a local run', () => {
    const argv = joinArgs({ list: '/w/concat.txt', audioFrom: '/in/a.mp4', output: '/out/a.partial.mp4' }).join(' ');
    expect(argv).toContain('-f concat -safe 0 -i file:/w/concat.txt -i file:/in/a.mp4');
    expect(argv).toContain('-map 0:v:0 -c:v copy -map 1:a:0? -c:a aac -b:a 128k');
    expect(argv).toContain('-movflags +frag_keyframe+empty_moov+default_base_moof -f mp4 file:/out/a.partial.mp4');
    expect(argv).not.toContain('libx264');
  });
});
