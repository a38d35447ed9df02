/**
 * `metacam image in.png [-o out.png] [--dump-maps maps.json]`: one still, decoded and encoded by ffmpeg like
 * video. --dump-maps writes every member's low-res map (after ReLU and min-max, at the target layer's
 * resolution; RefineCAM's at its finest layer's) plus the MetaCAM map — the format conformance is checked with
 * from outside.
 */
import { writeFile } from 'node:fs/promises';
import { parseImageArgs, wantsHelp } from '../args.js';
import { imageHelp } from '../help.js';
import { openSession } from '../../pipeline/session.js';
import { explainStill, stillFrame } from '../../pipeline/explain-still.js';
import type { Session } from '../../pipeline/session.js';
import type { RgbImage } from '../../core/frame.js';
import type { CamMap } from '../../core/cam-map.js';
import { readImage, writeImage } from '../../ingest/index.js';
import type { Io } from '../main.js';
import { profileRef, readProfileFlag, withProfile } from '../profile-flags.js';
import { checkProfileModel } from '../../metacam/profile.js';

/** The maps of members with a finer resolution of their own (RefineCAM over several layers), for the dump. */
async function fineMapsOf(session: Session, image: RgbImage, classIndex: number): Promise<Readonly<Record<string, CamMap>>> {
  const members = session.members.filter((m) => m.fineMap);
  if (!members.length || !session.engine) return {};
  const e = session.engine.explainerFor({ classMode: classIndex, methods: members, batchSize: 1, fineMaps: true });
  try {
    const [maps] = await e.explainBatch([stillFrame(image, session.model.inputSize)]);
    return maps?.fineMaps ?? {};
  } finally {
    e.dispose();
  }
}

export async function imageCommand(argv: string[], io: Io): Promise<number> {
  if (wantsHelp(argv)) {
    io.stdout.write(`${imageHelp()}\n`);
    return 0;
  }
  const flags = parseImageArgs(argv);
  const profile = await readProfileFlag(flags.profile);
  const opts = withProfile(flags, profile);
  const image = await readImage(opts.input);
  const session = await openSession(opts);
  try {
    if (profile) checkProfileModel(profile, session.model);
    const r = await explainStill(session, image, {
      topK: opts.topK,
      binary: opts.binary,
      consensus: opts.consensus,
      weights: opts.weights,
      overlay: { colormap: opts.colormap, alpha: opts.alpha, show: opts.show, layout: opts.layout },
    });
    const output = opts.output ?? opts.input.replace(/\.(png|jpe?g)$/i, '') + '.metacam.png';
    await writeImage(output, r.overlay);
    if (opts.dumpMaps) {
      const maps: Record<string, { width: number; height: number; data: number[] }> = {};
      const fine = await fineMapsOf(session, image, r.frameMaps.classIndex);
      for (const [id, m] of Object.entries({ ...r.frameMaps.maps, ...fine })) maps[id] = { width: m.width, height: m.height, data: Array.from(m.data) };
      const mc = r.maps.metacam;
      maps.metacam = { width: mc.width, height: mc.height, data: Array.from(mc.data) };
      const dump = {
        model: session.model.id,
        layer: session.explainer.layer,
        class: r.explanation.target,
        scores: Array.from(r.frameMaps.probabilities),
        maps,
      };
      await writeFile(opts.dumpMaps, JSON.stringify(dump));
    }
    const t = r.explanation.target;
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ output, dumpMaps: opts.dumpMaps ?? null, class: t, top5: r.explanation.top5, backend: session.backend.name, ffmpeg: session.ffmpeg.version, model: session.model.id, layer: session.explainer.layer, members: session.members.map((m) => m.id), consensus: opts.consensus, profile: profileRef(profile) ?? null, region: r.explanation.consensus })}\n`);
    } else {
      io.stdout.write(`${t.label} ${(t.score * 100).toFixed(1)}% — wrote ${output}${opts.dumpMaps ? ` and ${opts.dumpMaps}` : ''}\n`);
    }
    return 0;
  } finally {
    session.dispose();
  }
}
