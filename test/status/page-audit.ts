/**
 * A basic accessibility audit of a rendered document, run inside the browser (page.evaluate), over the DOM and the
 * computed style Chromium laid out: landmarks, heading order, labels, words for every colour, text contrast, width.
 */

// The functions below run in the browser. The test program has no DOM library (it clashes with Node's fetch types),
// so the little of the DOM they use is declared here; at run time they see the page's own globals.
interface DomNode {
  nodeType: number;
  textContent: string | null;
}
interface DomElement extends DomNode {
  tagName: string;
  outerHTML: string;
  childNodes: ArrayLike<DomNode>;
  parentElement: DomElement | null;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; height: number };
}
interface DomControl extends DomElement {
  type: string;
  name: string;
  labels: ArrayLike<unknown> | null;
}
declare const document: {
  documentElement: DomElement & { lang: string; scrollWidth: number; clientWidth: number };
  body: DomElement;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
};
declare function getComputedStyle(element: DomElement): { color: string; backgroundColor: string; visibility: string };

export interface PageAudit {
  lang: string;
  /** Landmarks: page-level header (banner), main, page-level footer (contentinfo), and every nav's label. */
  banners: number;
  mains: number;
  contentinfos: number;
  navLabels: string[];
  headings: Array<{ level: number; text: string }>;
  /** Form controls without a label, by name. */
  unlabelled: string[];
  /** Groups of radios or checkboxes outside a fieldset with a legend, by name. */
  ungroupedChoices: string[];
  /** Coloured (tone-*) elements that say nothing in words. */
  colourOnly: string[];
  /** Visible text below 4.5:1 against its background. */
  lowContrast: Array<{ text: string; ratio: number; color: string; background: string }>;
  /** How far the document is wider than the viewport (0 when it fits). */
  overflowX: number;
}

/** Runs in the page: keep it self-contained (no imports, no outer variables). */
export function auditPage(): PageAudit {
  const TEXT_NODE = 3;
  const channels = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = (css: string): number => {
    const [r, g, b] = channels(css).slice(0, 3).map((value) => {
      const c = value / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const opaque = (css: string): boolean => {
    const values = channels(css);
    return values.length === 3 || (values.length === 4 && values[3] === 1);
  };
  const backgroundOf = (element: DomElement | null): string => {
    for (let node = element; node; node = node.parentElement) {
      const background = getComputedStyle(node).backgroundColor;
      if (opaque(background)) return background;
    }
    return 'rgb(255, 255, 255)';
  };
  const visible = (element: DomElement): boolean => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && getComputedStyle(element).visibility !== 'hidden';
  };
  const topLevel = (element: DomElement) => !element.parentElement?.closest('article, aside, main, nav, section');

  const lowContrast: PageAudit['lowContrast'] = [];
  for (const element of Array.from(document.body.querySelectorAll('*'))) {
    const text = Array.from(element.childNodes)
      .filter((node) => node.nodeType === TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    if (!text || !visible(element)) continue;
    const color = getComputedStyle(element).color;
    const background = backgroundOf(element);
    const [light, dark] = [luminance(color), luminance(background)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    if (ratio < 4.5) lowContrast.push({ text: text.slice(0, 60), ratio: Math.round(ratio * 100) / 100, color, background });
  }

  const controls = (Array.from(document.querySelectorAll('input, select, textarea')) as DomControl[]).filter((control) => control.type !== 'hidden');
  const choiceNames = new Set(controls.filter((control) => control.type === 'radio' || control.type === 'checkbox').map((control) => control.name));
  return {
    lang: document.documentElement.lang,
    banners: Array.from(document.querySelectorAll('header')).filter(topLevel).length,
    mains: document.querySelectorAll('main').length,
    contentinfos: Array.from(document.querySelectorAll('footer')).filter(topLevel).length,
    navLabels: Array.from(document.querySelectorAll('nav')).map((nav) => nav.getAttribute('aria-label') ?? ''),
    headings: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((heading) => ({ level: Number(heading.tagName[1]), text: (heading.textContent ?? '').trim() })),
    unlabelled: controls.filter((control) => !control.labels?.length && !control.getAttribute('aria-label')).map((control) => control.name),
    ungroupedChoices: [...choiceNames].filter((name) =>
      controls.filter((control) => control.name === name).some((control) => !control.closest('fieldset')?.querySelector(':scope > legend')?.textContent?.trim()),
    ),
    colourOnly: Array.from(document.querySelectorAll('[class*="tone-"]'))
      .filter((element) => !(element.textContent ?? '').trim() && !element.getAttribute('title'))
      .map((element) => element.outerHTML.slice(0, 80)),
    lowContrast,
    overflowX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}

/** An element's computed background colour (runs in the page). */
export function backgroundColorOf(element: unknown): string {
  return getComputedStyle(element as DomElement).backgroundColor;
}

/** Heading levels that skip one going down (h2 then h4), and whether there is exactly one h1, first. */
export function headingProblems(headings: PageAudit['headings']): string[] {
  const problems: string[] = [];
  if (headings.filter((heading) => heading.level === 1).length !== 1 || headings[0]?.level !== 1) problems.push('one h1, first');
  headings.forEach((heading, index) => {
    if (index > 0 && heading.level > headings[index - 1].level + 1) problems.push(`h${heading.level} "${heading.text}" after h${headings[index - 1].level}`);
  });
  return problems;
}
