import { describe, expect, it } from 'vitest';
import { parseControlMessage } from './control-message.js';

const limits = { classCount: 5, presets: ['realtime', 'full'] };

describe('parseControlMessage', () => {
  it.each([
    ['{"type":"setClass","class":"auto"}', { type: 'setClass', class: 'auto' }],
    ['{"type":"setClass","class":4}', { type: 'setClass', class: 4 }],
    ['{"type":"setPreset","preset":"full"}', { type: 'setPreset', preset: 'full' }],
    ['{"type":"setView","view":"grid"}', { type: 'setView', view: 'grid' }],
    ['{"type":"setAlpha","alpha":0}', { type: 'setAlpha', alpha: 0 }],
    ['{"type":"setAlpha","alpha":1}', { type: 'setAlpha', alpha: 1 }],
    ['{"type":"setColormap","colormap":"inferno"}', { type: 'setColormap', colormap: 'inferno' }],
  ])('accepts %s', (text, expected) => {
    expect(parseControlMessage(text, limits)).toEqual({ ok: true, message: expected });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[1,2]', /JSON object/],
    ['null', /JSON object/],
    ['"setView"', /JSON object/],
    ['{"type":"launchMissiles"}', /unknown message type/],
    ['{"type":"__proto__"}', /unknown message type/],
    ['{"type":"toString"}', /unknown message type/],
    ['{"view":"raw"}', /unknown message type/],
    ['{"type":"setClass","class":5}', /integer 0…4/],
    ['{"type":"setClass","class":-1}', /integer/],
    ['{"type":"setClass","class":1.5}', /integer/],
    ['{"type":"setClass","class":"3"}', /integer/],
    ['{"type":"setPreset","preset":"turbo"}', /realtime, full/],
    ['{"type":"setView","view":"RAW"}', /metacam, raw, grid/],
    ['{"type":"setAlpha","alpha":1.01}', /\[0, 1\]/],
    ['{"type":"setAlpha","alpha":-0.1}', /\[0, 1\]/],
    ['{"type":"setAlpha","alpha":"0.5"}', /\[0, 1\]/],
    ['{"type":"setAlpha","alpha":1e999}', /\[0, 1\]/],
    ['{"type":"setColormap","colormap":"viridis"}', /jet, turbo, inferno/],
    ['{"type":"setView","view":"raw","extra":1}', /unexpected field/],
  ])('refuses %s', (text, why) => {
    const r = parseControlMessage(text, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });

  it('allows any non-negative class index when the label count is unknown', () => {
    expect(parseControlMessage('{"type":"setClass","class":999}', { presets: [] }).ok).toBe(true);
  });
});
