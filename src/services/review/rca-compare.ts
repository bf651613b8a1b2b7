import { createTwoFilesPatch } from 'diff';
import type { RcaSectionContent } from '../../schema/rca.entity';
import { RcaSectionChangeKind, type SectionVisibility } from '../../shared/enums';

export interface RcaSectionChange {
  key: string;
  change: RcaSectionChangeKind;
  titleFrom: string | null;
  titleTo: string | null;
  visibilityFrom: SectionVisibility | null;
  visibilityTo: SectionVisibility | null;
  /** A unified diff of the Markdown body (jsdiff); empty when the body is the same. */
  bodyDiff: string;
}

export interface RcaComparison {
  titleFrom: string;
  titleTo: string;
  sections: RcaSectionChange[];
}

/** What changed from one state of an RCA to another, section by section (unchanged sections left out), in the later order with removed ones last. */
export function compareRca(from: { title: string; sections: RcaSectionContent[] }, to: { title: string; sections: RcaSectionContent[] }): RcaComparison {
  const before = new Map(from.sections.map((section) => [section.key, section]));
  const after = new Map(to.sections.map((section) => [section.key, section]));
  const changes: RcaSectionChange[] = [];
  for (const section of to.sections) {
    const old = before.get(section.key);
    if (!old) {
      changes.push(change(section.key, RcaSectionChangeKind.ADDED, null, section));
    } else if (old.title !== section.title || old.body !== section.body || old.visibility !== section.visibility) {
      changes.push(change(section.key, RcaSectionChangeKind.CHANGED, old, section));
    }
  }
  for (const section of from.sections) {
    if (!after.has(section.key)) changes.push(change(section.key, RcaSectionChangeKind.REMOVED, section, null));
  }
  return { titleFrom: from.title, titleTo: to.title, sections: changes };
}

function change(key: string, kind: RcaSectionChangeKind, old: RcaSectionContent | null, next: RcaSectionContent | null): RcaSectionChange {
  const bodyFrom = old?.body ?? '';
  const bodyTo = next?.body ?? '';
  return {
    key,
    change: kind,
    titleFrom: old?.title ?? null,
    titleTo: next?.title ?? null,
    visibilityFrom: old?.visibility ?? null,
    visibilityTo: next?.visibility ?? null,
    bodyDiff: bodyFrom === bodyTo ? '' : createTwoFilesPatch(`${key} (before)`, `${key} (after)`, withEol(bodyFrom), withEol(bodyTo), undefined, undefined, { context: 3 }),
  };
}

/** Without a final newline jsdiff marks the last line "\ No newline at end of file", noise for prose. */
function withEol(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
