/** Shared with client components: no server imports here. */
export const HOUR_S = 3600;
export const DAY_S = 24 * HOUR_S;
/** Lifetime when none is given. */
export const DEFAULT_LIFETIME_S = 1 * DAY_S;

/** The one-click extensions; "custom" takes any number of seconds. */
export const EXTENSION_PRESETS = [
  { label: "+1 h", addS: HOUR_S },
  { label: "+1 day", addS: DAY_S },
] as const;

/** After this many extensions the page says the debug tools belong in the image. */
export const EXTENSIONS_BEFORE_ADVICE = 3;

export const REASON_MAX = 500;

/** 90 → "1m 30s", 7200 → "2h", 90000 → "1d 1h". */
export function formatSeconds(totalS: number): string {
  const s = Math.max(0, Math.round(totalS));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = d
    ? [`${d}d`, h && `${h}h`, m && `${m}m`]
    : h
      ? [`${h}h`, m && `${m}m`, sec && `${sec}s`]
      : m
        ? [`${m}m`, sec && `${sec}s`]
        : [`${sec}s`];
  return parts.filter(Boolean).join(" ");
}

/** The debug console: each command's time limit (default and most allowed) and how much of its output is kept and shown. */
export const CONSOLE_DEFAULT_TIMEOUT_S = 30;
export const CONSOLE_MAX_TIMEOUT_S = 300;
export const CONSOLE_OUTPUT_CAP_BYTES = 64 * 1024;
