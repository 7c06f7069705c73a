// The dependency under the cursor, from one line of pyproject.toml or a requirements file. Pure: unit-tested.

const NAME_RE = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

/** The quoted TOML string around `character`, if the cursor is in one. */
function quotedAt(line: string, character: number): string | undefined {
  const quoted = /"((?:[^"\\]|\\.)*)"|'([^']*)'/g;
  for (let m = quoted.exec(line); m !== null; m = quoted.exec(line)) {
    if (m.index <= character && character <= m.index + m[0].length) {
      return m[1] ?? m[2];
    }
  }
  return undefined;
}

/**
 * The distribution name of the requirement at `character` on `line`, e.g. `numpy` for the cursor anywhere
 * in `"numpy>=2; python_version >= '3.10'",` or in the requirements line `numpy==2.1  # pinned`.
 * Undefined on an option line (`-r other.txt`), a comment, or outside any requirement.
 */
export function requirementNameAt(line: string, character: number, isToml: boolean): string | undefined {
  let text: string | undefined;
  if (isToml) {
    text = quotedAt(line, character);
  } else {
    const comment = line.search(/(^|\s)#/);
    text = comment >= 0 ? line.slice(0, comment) : line;
    if (comment >= 0 && character > comment) {
      return undefined;
    }
    if (/^\s*-/.test(text) || /^\s*(https?|file|git\+)/.test(text)) {
      return undefined;
    }
  }
  const match = text === undefined ? null : NAME_RE.exec(text);
  return match?.[1];
}
