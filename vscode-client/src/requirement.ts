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
/** Keys of `name = "..."` lines that are settings, not packages (Poetry's `python`, Pipfile's `python_version`). */
const NOT_PACKAGES = new Set([
  "python",
  "python_version",
  "python_full_version",
  "version",
  "requires-python",
  "name",
  "minversion",
  "lock-version",
  "content-hash",
]);
/** A Poetry or Pipfile dependency line: `numpy = "^1.26"`, `"zope.interface" = "*"`, `pandas = { version = ... }`. */
const KEYED_RE =
  /^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9][A-Za-z0-9._-]*))\s*=\s*(["'{])\s*([\^~*<>=!0-9]|(?:version|extras|markers|optional|git|path|url)\b)?/;

export function requirementNameAt(line: string, character: number, isToml: boolean): string | undefined {
  let text: string | undefined;
  if (isToml) {
    const keyed = KEYED_RE.exec(line);
    const key = keyed?.[1] ?? keyed?.[2] ?? keyed?.[3];
    if (key !== undefined && NOT_PACKAGES.has(key.toLowerCase())) {
      return undefined;
    }
    if (keyed !== null && key !== undefined && keyed[5] !== undefined) {
      return NAME_RE.exec(key)?.[1];
    }
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
