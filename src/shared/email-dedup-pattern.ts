/**
 * The rule an e-mail integration may set for its dedup key: a JavaScript regular expression whose first capture group,
 * matched against the subject, is the key. Anyone who may edit an integration writes it and every mail to it runs it,
 * so it is checked when saved against what makes a backtracking engine take exponential time, and it only ever runs
 * on a bounded subject.
 */

export const DEDUP_PATTERN_MAX_LENGTH = 200;
/** The pattern sees at most this many characters of the subject. */
export const DEDUP_SUBJECT_MAX_LENGTH = 256;

interface Group {
  /** A quantifier that repeats (more than once) is somewhere inside. */
  repeats: boolean;
  alternates: boolean;
}

/** The quantifier at `at` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`): its length and whether it repeats more than once, else null. */
function quantifierAt(pattern: string, at: number): { length: number; repeats: boolean } | null {
  const char = pattern[at];
  if (char === '*' || char === '+') return { length: 1, repeats: true };
  if (char === '?') return { length: 1, repeats: false };
  if (char !== '{') return null;
  const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(at));
  if (!braces) return null;
  const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === '' ? Infinity : Number(braces[3]);
  return { length: braces[0].length, repeats: max > 1 };
}

/**
 * What is risky in the pattern's structure, or null: a repeated group that itself repeats or alternates
 * (`(a+)+`, `(\w+\s?)*`, `(a|ab)*`) and backreferences are refused. A heuristic, not a proof: together with the
 * bounded subject it keeps the cost of one match small.
 */
function structuralProblem(pattern: string): string | null {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let closed: Group | null = null;
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at];
    const quantifier = quantifierAt(pattern, at);
    if (quantifier) {
      if (quantifier.repeats && closed && (closed.repeats || closed.alternates)) {
        return 'a repeated group may not contain a repetition or an alternation (such as (a+)+ or (a|b)*): it can take exponential time';
      }
      if (quantifier.repeats) stack[stack.length - 1].repeats = true;
      at += quantifier.length - 1;
      if (pattern[at + 1] === '?') at += 1;
      closed = null;
      continue;
    }
    closed = null;
    if (char === '\\') {
      const next = pattern[at + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'backreferences (\\1, \\k<name>) are not allowed';
      at += 1;
    } else if (char === '[') {
      // A character class is one atom: skip to its unescaped closing bracket (a leading ] is literal).
      at += pattern[at + 1] === ']' ? 2 : 1;
      while (at < pattern.length && pattern[at] !== ']') at += pattern[at] === '\\' ? 2 : 1;
    } else if (char === '(') {
      stack.push({ repeats: false, alternates: false });
    } else if (char === ')' && stack.length > 1) {
      const group = stack.pop()!;
      const parent = stack[stack.length - 1];
      parent.repeats ||= group.repeats;
      parent.alternates ||= group.alternates;
      closed = group;
    } else if (char === '|') {
      stack[stack.length - 1].alternates = true;
    }
  }
  return null;
}

/** Why the pattern cannot be an integration's dedup rule, or null when it can. */
export function dedupPatternProblem(pattern: string): string | null {
  if (pattern.length > DEDUP_PATTERN_MAX_LENGTH) return `must be at most ${DEDUP_PATTERN_MAX_LENGTH} characters`;
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
  // An empty alternative matches the empty string, so the match has one slot per capture group.
  const groups = new RegExp(`${compiled.source}|`).exec('')!.length - 1;
  if (groups < 1) return 'must have a capture group: its first one is the dedup key';
  return structuralProblem(pattern);
}

/** The first capture group of the pattern on the (bounded) subject, trimmed; null when it does not match or captures nothing. */
export function dedupKeyByPattern(pattern: RegExp, subject: string): string | null {
  const captured = pattern.exec(subject.slice(0, DEDUP_SUBJECT_MAX_LENGTH))?.[1]?.trim();
  return captured ? captured : null;
}
