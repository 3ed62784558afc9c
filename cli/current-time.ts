/** The date and time in an IANA time zone, computed with Intl (no network). */
export interface ZonedTime {
  /** The canonical zone name, e.g. `Asia/Tokyo`. */
  readonly timezone: string;
  /** e.g. `+09:00` */
  readonly utcOffset: string;
  /** e.g. `2026-11-27T18:20:50+09:00` */
  readonly iso: string;
  /** e.g. `Friday, 27 November 2026, 18:20:50 in Asia/Tokyo (UTC+09:00)` */
  readonly text: string;
}

function formatter(timezone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'long',
      year: 'numeric',
      month: 'long',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new RangeError(`"${timezone}" is not an IANA time zone. Use a name such as "Asia/Tokyo", "Europe/Paris" or "America/New_York".`, { cause: error });
    }
    throw error;
  }
}

/** The time at `now` in `timezone` (an IANA name; the system's zone when omitted). */
export function zonedTime(timezone: string | undefined, now: Date = new Date()): ZonedTime {
  const format = formatter(timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  const month = String(months.indexOf(parts.month) + 1).padStart(2, '0');
  // `longOffset` says `GMT` for a zero offset and `GMT+09:00` otherwise.
  const utcOffset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace(/^GMT/, '');
  const clock = `${parts.hour}:${parts.minute}:${parts.second}`;
  const zone = format.resolvedOptions().timeZone;
  return {
    timezone: zone,
    utcOffset,
    iso: `${parts.year}-${month}-${parts.day}T${clock}${utcOffset === '+00:00' ? 'Z' : utcOffset}`,
    text: `${parts.weekday}, ${Number(parts.day)} ${parts.month} ${parts.year}, ${clock} in ${zone} (UTC${utcOffset})`,
  };
}
