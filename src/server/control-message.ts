/**
 * The only messages a viewer may send, and their validator. Everything a client sends is untrusted: it is
 * parsed and checked here, at the boundary, and anything else closes that client with a reason.
 * Hand-written rather than ajv so the rules (class index within the model's labels, preset within the
 * offered presets) read in one place and the error names the field and what it accepts.
 */

export const VIEWS = ['metacam', 'raw', 'grid'] as const;
export const COLORMAPS = ['jet', 'turbo', 'inferno'] as const;
export const DEFAULT_PRESETS = ['realtime', 'full'] as const;

export type ViewName = (typeof VIEWS)[number];
export type ColormapName = (typeof COLORMAPS)[number];

export type ControlMessage =
  | { readonly type: 'setClass'; readonly class: 'auto' | number }
  | { readonly type: 'setPreset'; readonly preset: string }
  | { readonly type: 'setView'; readonly view: ViewName }
  | { readonly type: 'setAlpha'; readonly alpha: number }
  | { readonly type: 'setColormap'; readonly colormap: ColormapName };

export interface ControlLimits {
  /** Number of classes; `setClass` must name 0 … classCount − 1. Unlimited when undefined. */
  readonly classCount?: number;
  /** Presets a client may pick. */
  readonly presets: readonly string[];
}

export type ValidationResult =
  | { readonly ok: true; readonly message: ControlMessage }
  | { readonly ok: false; readonly error: string };

const KEYS: Record<ControlMessage['type'], readonly string[]> = {
  setClass: ['type', 'class'],
  setPreset: ['type', 'preset'],
  setView: ['type', 'view'],
  setAlpha: ['type', 'alpha'],
  setColormap: ['type', 'colormap'],
};

function bad(error: string): ValidationResult {
  return { ok: false, error };
}

/** Validates an already-parsed JSON value. Unknown or extra keys are refused, so the schema stays closed. */
export function validateControlMessage(value: unknown, limits: ControlLimits): ValidationResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('message must be a JSON object');
  const msg = value as Record<string, unknown>;
  const type = msg.type;
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) {
    return bad(`unknown message type ${JSON.stringify(type)?.slice(0, 40)}; expected one of ${Object.keys(KEYS).join(', ')}`);
  }
  const t = type as ControlMessage['type'];
  const extra = Object.keys(msg).filter((k) => !KEYS[t].includes(k));
  if (extra.length > 0) return bad(`${t}: unexpected field(s) ${extra.slice(0, 3).join(', ').slice(0, 60)}`);
  switch (t) {
    case 'setClass': {
      const c = msg.class;
      if (c === 'auto') return { ok: true, message: { type: t, class: 'auto' } };
      const max = limits.classCount;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || (max !== undefined && c >= max)) {
        return bad(`setClass.class must be 'auto' or an integer 0…${max === undefined ? '' : max - 1}`);
      }
      return { ok: true, message: { type: t, class: c } };
    }
    case 'setPreset': {
      const p = msg.preset;
      if (typeof p !== 'string' || !limits.presets.includes(p)) return bad(`setPreset.preset must be one of ${limits.presets.join(', ')}`);
      return { ok: true, message: { type: t, preset: p } };
    }
    case 'setView': {
      const v = msg.view;
      if (typeof v !== 'string' || !(VIEWS as readonly string[]).includes(v)) return bad(`setView.view must be one of ${VIEWS.join(', ')}`);
      return { ok: true, message: { type: t, view: v as ViewName } };
    }
    case 'setAlpha': {
      const a = msg.alpha;
      if (typeof a !== 'number' || !Number.isFinite(a) || a < 0 || a > 1) return bad('setAlpha.alpha must be a number in [0, 1]');
      return { ok: true, message: { type: t, alpha: a } };
    }
    case 'setColormap': {
      const c = msg.colormap;
      if (typeof c !== 'string' || !(COLORMAPS as readonly string[]).includes(c)) return bad(`setColormap.colormap must be one of ${COLORMAPS.join(', ')}`);
      return { ok: true, message: { type: t, colormap: c as ColormapName } };
    }
  }
}

/** Parses text then validates; a parse failure is reported like any other invalid message. */
export function parseControlMessage(text: string, limits: ControlLimits): ValidationResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('message is not valid JSON');
  }
  return validateControlMessage(value, limits);
}
