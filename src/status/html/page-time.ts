/** A moment as the page shows it: words in the page's time zone, and the UTC instant for `<time datetime>`. */
export interface ShownTime {
  iso: string;
  text: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats moments and days in one page's zone, in English on a 24-hour clock: "3 Jul 2026, 15:05 WEST". The zone's
 * abbreviation is ICU's: it knows American zones' in en-US and European ones' in en-GB; elsewhere the offset is
 * shown ("UTC+05:30"). Formatters are made once per page (a page formats hundreds of days).
 */
export class PageTime {
  private readonly clock: Intl.DateTimeFormat;
  private readonly abbreviations: Intl.DateTimeFormat[];
  private readonly offset: Intl.DateTimeFormat;

  constructor(readonly zone: string) {
    // Throws a RangeError for a zone ICU does not know.
    this.clock = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.abbreviations = ['en-US', 'en-GB'].map((locale) => new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' }));
    this.offset = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  }

  at(moment: Date): ShownTime {
    const part = partsOf(this.clock, moment);
    const date = `${Number(part.day)} ${MONTHS[Number(part.month) - 1]} ${part.year}`;
    return { iso: moment.toISOString(), text: `${date}, ${part.hour}:${part.minute} ${this.zoneName(moment)}` };
  }

  /** A calendar day (YYYY-MM-DD, already in the page's zone) in words: "3 Jul 2026". */
  day(date: string): string {
    const [year, month, day] = date.split('-');
    return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
  }

  private zoneName(moment: Date): string {
    for (const format of this.abbreviations) {
      const name = partsOf(format, moment).timeZoneName;
      if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
    }
    return (partsOf(this.offset, moment).timeZoneName ?? 'GMT').replace(/^GMT/, 'UTC');
  }
}

function partsOf(format: Intl.DateTimeFormat, moment: Date): Partial<Record<Intl.DateTimeFormatPartTypes, string>> {
  return Object.fromEntries(format.formatToParts(moment).map((part) => [part.type, part.value]));
}
