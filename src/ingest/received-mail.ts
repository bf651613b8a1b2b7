import { simpleParser } from 'mailparser';

/** What the EMAIL normalizer reads of a received message (see email.normalizer.ts). */
export interface ReceivedMail {
  subject: string;
  from: string | null;
  /** Plain text only: the text parts, or the text made from the HTML of an HTML-only mail. */
  text: string | null;
  messageId: string | null;
  /** The Date header, ISO-8601, when it is a date PostgreSQL can store. */
  date: string | null;
}

/** HTML longer than this is not turned into text (mailparser's converter is the slowest part of a mail). */
export const HTML_TO_TEXT_MAX_CHARS = 512 * 1024;

/** The parts of a raw RFC 5322 message the normalizer needs; attachments and HTML are dropped, never rendered. */
export async function readMail(raw: Buffer, envelopeFrom: string | null): Promise<ReceivedMail> {
  const parsed = await simpleParser(raw, {
    maxHtmlLengthToParse: HTML_TO_TEXT_MAX_CHARS,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
    checksumAlgo: false,
  });
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) && parsed.date.getUTCFullYear() >= 1 && parsed.date.getUTCFullYear() <= 9999 ? parsed.date.toISOString() : null;
  return {
    subject: parsed.subject ?? '',
    from: parsed.from?.value.find((mailbox) => mailbox.address)?.address ?? envelopeFrom,
    text: parsed.text ?? null,
    messageId: parsed.messageId ?? null,
    date,
  };
}
