import type { FieldError } from '../core/errors.js';
import { DEFAULT_FLAPPING, validateFlapping, type FlappingOptions } from './model.js';
import {
  compileGrouping,
  validateAutoClose,
  validateStormThresholds,
  type AutoCloseOptions,
  type CompiledGrouping,
  type Dimension,
  type GroupingConfig,
  type GroupingWindow,
} from '../incidents/grouping.js';
import type { Filter } from '../core/filter.js';

/**
 * A channel's noise-reduction settings as stored and as the API speaks them (snake_case), plus
 * their compiled form used on the ingest path.
 */
export interface NoiseSettingsWire {
  readonly grouping: GroupingWire;
  readonly storm_thresholds: readonly number[];
  readonly flapping: { readonly mode: FlappingOptions['mode']; readonly max_changes: number; readonly in_mins: number; readonly mute_mins: number };
  readonly auto_close: { readonly when_all_recovered: boolean; readonly after_idle_seconds: number | null };
}

export type GroupingWire =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'rules';
      readonly by: readonly string[];
      readonly cases?: readonly { readonly if: Filter; readonly by: readonly string[] }[];
      readonly strict?: boolean;
      readonly window?: GroupingWindow;
    }
  | { readonly mode: 'similarity'; readonly threshold?: number; readonly labels?: readonly string[]; readonly window?: GroupingWindow };

export const DEFAULT_NOISE: NoiseSettingsWire = {
  grouping: { mode: 'none' },
  storm_thresholds: [],
  flapping: { mode: DEFAULT_FLAPPING.mode, max_changes: DEFAULT_FLAPPING.maxChanges, in_mins: DEFAULT_FLAPPING.inMins, mute_mins: DEFAULT_FLAPPING.muteMins },
  auto_close: { when_all_recovered: true, after_idle_seconds: null },
};

export interface CompiledNoise {
  readonly grouping: CompiledGrouping;
  readonly stormThresholds: readonly number[];
  readonly flapping: FlappingOptions;
  readonly autoClose: AutoCloseOptions;
}

function groupingConfig(wire: GroupingWire): GroupingConfig {
  const window = ('window' in wire && wire.window) || { kind: 'off' as const };
  if (wire.mode === 'rules') {
    // Dimension names are checked by compileGrouping, which reports unknown ones as field errors.
    const cases = wire.cases?.map((c) => ({ if: c.if, by: c.by as readonly Dimension[] }));
    return { mode: 'rules', by: wire.by as readonly Dimension[], cases, strict: wire.strict ?? false, window };
  }
  if (wire.mode === 'similarity') return { mode: 'similarity', threshold: wire.threshold, labels: wire.labels ?? [], window };
  return { mode: 'none' };
}

/** Fills defaults into a stored (possibly partial) settings object. */
export function withDefaults(stored: Partial<NoiseSettingsWire>): NoiseSettingsWire {
  return {
    grouping: stored.grouping ?? DEFAULT_NOISE.grouping,
    storm_thresholds: stored.storm_thresholds ?? DEFAULT_NOISE.storm_thresholds,
    flapping: { ...DEFAULT_NOISE.flapping, ...stored.flapping },
    auto_close: { ...DEFAULT_NOISE.auto_close, ...stored.auto_close },
  };
}

/** Validates settings and compiles them once; returns every broken rule with its dotted field. */
export function compileNoise(settings: NoiseSettingsWire): { ok: true; value: CompiledNoise } | { ok: false; errors: FieldError[] } {
  const grouping = compileGrouping(groupingConfig(settings.grouping), 'grouping');
  const flapping: FlappingOptions = {
    mode: settings.flapping.mode,
    maxChanges: settings.flapping.max_changes,
    inMins: settings.flapping.in_mins,
    muteMins: settings.flapping.mute_mins,
  };
  const autoClose: AutoCloseOptions = {
    whenAllRecovered: settings.auto_close.when_all_recovered,
    afterIdleSeconds: settings.auto_close.after_idle_seconds ?? undefined,
  };
  const errors = [
    ...(grouping.ok ? [] : grouping.errors),
    ...validateStormThresholds(settings.storm_thresholds),
    ...validateFlapping(flapping),
    ...validateAutoClose(autoClose),
  ];
  if (!grouping.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { grouping: grouping.value, stormThresholds: [...settings.storm_thresholds].sort((a, b) => a - b), flapping, autoClose } };
}
