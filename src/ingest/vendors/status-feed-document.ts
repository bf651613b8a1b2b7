/**
 * A fetched status feed body as a document: Statuspage JSON (summary.json, incidents.json), Atom or RSS 2.0. XML is
 * validated and parsed with fast-xml-parser; anything that is none of these, or not what the integration's format
 * says, is a MalformedFeedError (the poll fails and nothing already accepted changes).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { StatusFeedFormat } from '../../schema/integration-options';
import { isRecord, type JsonObject } from './normalizer-helpers';

export type FeedDocument =
  | { format: 'statuspage-json'; body: JsonObject }
  | { format: 'atom'; feed: JsonObject }
  | { format: 'rss'; channel: JsonObject };

export class MalformedFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFeedError';
  }
}

/** Elements that repeat in Atom and RSS, read as arrays even when a feed has one. */
const REPEATED = new Set(['feed.entry', 'feed.entry.link', 'rss.channel.item', 'rss.channel.item.category']);

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // The five XML entities and character references; documents declaring their own are refused before parsing.
  processEntities: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

export function parseFeedDocument(text: string, format: StatusFeedFormat = 'auto'): FeedDocument {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (!body) throw new MalformedFeedError('the feed is empty');
  const document = body.startsWith('{') ? parseJson(body) : body.startsWith('<') ? parseXml(body) : null;
  if (!document) throw new MalformedFeedError('the feed is neither JSON nor XML');
  if (format !== 'auto' && document.format !== format) throw new MalformedFeedError(`expected ${format}, got ${document.format}`);
  return document;
}

function parseJson(body: string): FeedDocument {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new MalformedFeedError(`invalid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value) || !isRecord(value.page) || !Array.isArray(value.incidents)) {
    throw new MalformedFeedError('JSON that is not a Statuspage document (page and incidents expected)');
  }
  return { format: 'statuspage-json', body: value };
}

function parseXml(body: string): FeedDocument {
  if (/<!ENTITY/i.test(body)) throw new MalformedFeedError('XML with entity declarations is refused');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new MalformedFeedError(`invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  let root: unknown;
  try {
    root = xml.parse(body);
  } catch (error) {
    throw new MalformedFeedError(`invalid XML (${(error as Error).message})`);
  }
  if (!isRecord(root)) throw new MalformedFeedError('XML without a root element');
  if (isRecord(root.feed) || root.feed === '') return { format: 'atom', feed: isRecord(root.feed) ? root.feed : {} };
  if (isRecord(root.rss)) {
    const channel = root.rss.channel;
    if (!isRecord(channel)) throw new MalformedFeedError('RSS without a channel');
    return { format: 'rss', channel };
  }
  const name = Object.keys(root).find((key) => !key.startsWith('?'));
  throw new MalformedFeedError(`XML whose root is <${name ?? '?'}>, not an Atom <feed> or an RSS <rss>`);
}
