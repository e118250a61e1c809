/*
 * Declared code coverage. Localforce runs no Apex, so it measures nothing: a test run reports, for each
 * class and trigger under test, the percentage the org's test outcome policy declares, as line numbers
 * drawn from the class's real source so that reports point at real lines. Which classes a test class
 * is under test for is read from its source too: the classes it names, and the triggers on the objects
 * it names.
 */

/** An Apex class or trigger of the org, as coverage needs it. */
export interface ApexUnit {
  id: string;
  name: string;
  kind: 'ApexClass' | 'ApexTrigger';
  body: string;
}

export interface DeclaredLines {
  coveredLines: number[];
  uncoveredLines: number[];
}

/** The source with comments and the text of string literals blanked out, line breaks kept, so that line numbers stay. */
export function codeOnly(source: string): string {
  let out = '';
  let i = 0;
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  while (i < source.length) {
    const c = source[i]!;
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += blank(source.slice(i, stop));
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== "'" && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      const closed = source[j] === "'";
      out += `'${blank(source.slice(i + 1, Math.min(j, source.length)))}${closed ? "'" : ''}`;
      i = closed ? j + 1 : Math.min(j, source.length);
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/**
 * Lines that are no statement: blank, braces and punctuation only, an annotation alone, a type's
 * declaration, or a keyword that only opens a block. Coverage counts the other lines.
 */
const NOT_CODE: readonly RegExp[] = [
  /^[\s{}();]*$/,
  /^@\w+(\s*\([^)]*\))?\s*$/,
  /^((public|private|protected|global|virtual|abstract|static|with|without|inherited|sharing)\s+)*(class|interface|enum)\s+\w+/i,
  /^trigger\s+\w+\s+on\s+\w+/i,
  /^[}\s]*(else|try|finally|do)[{\s]*$/i,
];

/** The 1-based numbers of the lines that hold code, as coverage counts them. */
export function codeLines(source: string): number[] {
  const lines = codeOnly(source.replace(/^\uFEFF/, '')).split(/\r?\n/);
  const out: number[] = [];
  lines.forEach((line, index) => {
    const text = line.trim();
    if (!NOT_CODE.some((rule) => rule.test(text))) out.push(index + 1);
  });
  return out;
}

/** A declared percentage of a source's code lines, covered from the first: never less than declared. */
export function declaredLines(source: string, percent: number): DeclaredLines {
  const lines = codeLines(source);
  const covered = Math.min(lines.length, Math.ceil((lines.length * percent) / 100 - 1e-9));
  return { coveredLines: lines.slice(0, covered), uncoveredLines: lines.slice(covered) };
}

/** The object a trigger is on (`trigger X on Account (…)`), lower-cased. */
export function triggerObject(body: string): string | undefined {
  return /^\s*trigger\s+\w+\s+on\s+(\w+)/im.exec(codeOnly(body))?.[1]?.toLowerCase();
}

/**
 * The classes and triggers a test class is under test for: the classes whose names its code uses, and
 * the triggers on the objects its code uses. Test classes themselves are never covered.
 */
export function unitsUnderTest(testSource: string, units: ApexUnit[], testClassNames: Set<string>): ApexUnit[] {
  const words = new Set((codeOnly(testSource).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((w) => w.toLowerCase()));
  return units.filter((unit) => {
    if (unit.kind === 'ApexClass') return !testClassNames.has(unit.name.toLowerCase()) && words.has(unit.name.toLowerCase());
    const object = triggerObject(unit.body);
    return object !== undefined && words.has(object);
  });
}
