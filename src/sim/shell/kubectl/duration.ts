// The AGE column: k8s.io/apimachinery/pkg/util/duration.HumanDuration and the printers'
// translateTimestampSince. Go's time.Duration is integer nanoseconds and every step below is
// an integer division (truncating), so we mirror that on milliseconds.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** duration.HumanDuration: ~2-3 significant figures, e.g. `45s`, `3m20s`, `5h12m`, `2d3h`, `400d`, `2y10d`. */
export function humanDuration(ms: number): string {
  // Up to one second in the future still reads as now (clock skew between machines).
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

function toMillis(t: string | Date): number {
  return t instanceof Date ? t.getTime() : Date.parse(t);
}

/**
 * printers' translateTimestampSince: `<unknown>` for a missing (zero) timestamp, otherwise
 * HumanDuration(now - timestamp). `now` is the simulated clock, not the host's.
 */
export function translateTimestampSince(timestamp: string | Date | undefined | null, now: string | Date): string {
  if (timestamp === undefined || timestamp === null || timestamp === '') return '<unknown>';
  const t = toMillis(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(toMillis(now) - t);
}
